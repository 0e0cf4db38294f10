package com.example.shop.auth.importing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.regex.Pattern;

import com.example.shop.auth.account.InputRules;
import com.example.shop.auth.store.EmailAlreadyClaimedException;
import com.example.shop.auth.store.UserIdTakenException;
import com.example.shop.auth.store.UserStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Imports existing users (with bcrypt hashes made elsewhere) the way signup stores them: the user and its email
 * claim in one transaction, so the user logs in with the old password and nobody can sign up again with that
 * email. Run by {@code scripts/import_users.py}; reads JSON lines from a file or standard input:
 * {@code {"email", "passwordHash", "name", optional "userId" (UUID), optional "createdAt" (ISO-8601 with zone)}}.
 * Prints {@code imported <email> <userId>} or {@code skipped <email>: <reason>} per line, never a hash; exits 1 when
 * a line was skipped, 2 on unreadable input. AWS settings come from the environment as for any AWS SDK program
 * ({@code AWS_ENDPOINT_URL}, {@code AWS_REGION}, credentials).
 */
public final class UserImport {

    private static final Pattern BCRYPT = Pattern.compile("^\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}$");

    private final UserStore users;
    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper();

    UserImport(UserStore users, PrintStream out) {
        this.users = users;
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        String table = "ecommerce-users";
        String file = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--table") && i + 1 < args.length) {
                table = args[++i];
            } else if (args[i].startsWith("-")) {
                System.err.println("usage: import_users [--table NAME] [FILE]");
                System.exit(2);
            } else {
                file = args[i];
            }
        }
        try (DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
                BufferedReader in = file == null
                        ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                        : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            System.exit(new UserImport(UserStore.standalone(dynamo, table), System.out).run(in));
        }
    }

    /** Imports every line; returns the exit code. */
    int run(BufferedReader in) throws IOException {
        int skipped = 0;
        int number = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode record;
            try {
                record = json.readTree(line);
            } catch (IOException e) {
                System.err.println("import_users: line " + number + " is not JSON");
                return 2;
            }
            String label = record.isObject() && record.path("email").isTextual() ? record.get("email").asText()
                    : "line " + number;
            String outcome = record.isObject() ? importOne(record) : "skipped " + label + ": not a JSON object";
            if (outcome.startsWith("skipped ")) {
                skipped++;
            }
            out.println(outcome);
        }
        return skipped > 0 ? 1 : 0;
    }

    private String importOne(JsonNode record) {
        String rawEmail = text(record, "email");
        String email = InputRules.normaliseEmail(rawEmail);
        if (email == null) {
            return "skipped " + (rawEmail == null ? "(no email)" : EmailCheck.printable(rawEmail)) + ": invalid email ("
                    + InputRules.emailProblem(rawEmail) + ")";
        }
        String rawName = text(record, "name");
        String name = InputRules.normaliseName(rawName);
        if (name == null) {
            return "skipped " + email + ": invalid name (" + InputRules.nameProblem(rawName) + ")";
        }
        String hash = text(record, "passwordHash");
        if (hash == null || !BCRYPT.matcher(hash).matches()) {
            return "skipped " + email + ": passwordHash is not a bcrypt hash ($2a$/$2b$/$2y$, cost 04-31)";
        }
        String userId;
        try {
            userId = record.hasNonNull("userId") ? UUID.fromString(text(record, "userId")).toString()
                    : UUID.randomUUID().toString();
        } catch (IllegalArgumentException e) {
            return "skipped " + email + ": userId is not a UUID";
        }
        Instant createdAt;
        try {
            createdAt = record.hasNonNull("createdAt") ? OffsetDateTime.parse(text(record, "createdAt")).toInstant()
                    : Instant.now();
        } catch (DateTimeParseException e) {
            return "skipped " + email + ": createdAt is not an ISO-8601 instant with a zone";
        }
        try {
            // $2b$ and $2y$ are the same algorithm as $2a$ for passwords of at most 72 bytes, all the service takes
            users.create(userId, email, "$2a$" + hash.substring(4), name, createdAt);
        } catch (EmailAlreadyClaimedException e) {
            return "skipped " + email + ": email already claimed";
        } catch (UserIdTakenException e) {
            return "skipped " + email + ": userId already taken";
        }
        return "imported " + email + " " + userId;
    }

    private static String text(JsonNode record, String field) {
        JsonNode value = record.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
