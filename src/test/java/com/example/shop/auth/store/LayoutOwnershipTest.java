package com.example.shop.auth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * No code outside the store spells a key prefix or a stored-only attribute name in a string: one schema change is one edit in
 * store/ (and the template, whose IAM conditions {@link TemplatePermissionsTest} holds against the model). Names
 * that are also API fields (email, name, createdAt...) are the API's words too, so only those that never leave the
 * table are checked.
 */
class LayoutOwnershipTest {

    /** Where the product's and the tooling's code lives; tests check the layout and may name it. */
    private static final List<Path> ROOTS = List.of(Path.of("src/main"), Path.of("bench"), Path.of("scripts"),
            Path.of("tools"));
    private static final Pattern LITERAL = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*'");
    private static final Path STORE = Path.of("src/main/java/com/example/shop/auth/store");
    private static final Set<Attribute> STORED_ONLY = Set.of(Attribute.OWNER_ID, Attribute.TTL, Attribute.RESET_TOKEN,
            Attribute.VERIFY_TOKEN, Attribute.SESSION_IDS, Attribute.SESSIONS_VERSION, Attribute.REFRESH_HASH,
            Attribute.SPENT_REFRESH_HASHES, Attribute.ROTATED_AT, Attribute.PASSWORD_CHANGED_AT,
            Attribute.EMAIL_VERIFIED_AT, Attribute.EMAIL_CHANGE_TOKEN, Attribute.PENDING_EMAIL, Attribute.PASSKEY_IDS,
            Attribute.PASSKEY_CHALLENGE, Attribute.PUBLIC_KEY, Attribute.SIGN_COUNT);

    @Test
    void nothingOutsideTheStoreSpellsTheLayout() throws IOException {
        List<String> words = new ArrayList<>();
        Arrays.stream(ItemKind.values()).map(ItemKind::prefix).filter(p -> !p.isEmpty()).forEach(words::add);
        STORED_ONLY.stream().map(Attribute::attributeName).forEach(words::add);
        // inside a string literal ("..." or '...'); identifiers, comments and expression placeholders (:name, #name)
        // may use the words
        Pattern spelled = Pattern.compile("(?<![:#\\w])(" + String.join("|", words.stream().map(Pattern::quote).toList())
                + ")(?![\\w])");

        List<String> found = new ArrayList<>();
        for (Path root : ROOTS) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile)
                        .filter(f -> !f.startsWith(STORE) && isCode(f))
                        .forEach(f -> scan(f, spelled, found));
            }
        }
        assertEquals(List.of(), found, "key prefixes or stored attribute names outside store/");
    }

    private static boolean isCode(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".java") || name.endsWith(".py") || name.endsWith(".sh") || name.endsWith(".js")
                || name.endsWith(".properties");
    }

    private static void scan(Path file, Pattern spelled, List<String> found) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.startsWith("*") || line.startsWith("/*") || line.startsWith("//") || line.startsWith("#")) {
                    continue; // a comment may name what it explains
                }
                var literal = LITERAL.matcher(line);
                while (literal.find()) {
                    var m = spelled.matcher(literal.group());
                    if (m.find()) {
                        found.add(file + ":" + (i + 1) + ": " + m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
