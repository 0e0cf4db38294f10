package com.example.shop.auth.importing;

import java.io.PrintStream;
import java.util.Optional;

import com.example.shop.auth.account.InputRules;
import com.example.shop.auth.audit.AuthEvents;
import com.example.shop.auth.store.StoredUser;
import com.example.shop.auth.store.UserStore;
import com.example.shop.auth.store.UserStore.PageKey;
import com.example.shop.auth.store.UserStore.UserPage;

import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Reports users whose stored email today's email rule ({@link InputRules#checkEmail}) refuses, or would store in
 * another spelling (a Unicode domain now stored as its xn-- form, upper case, spaces around it). Such a user cannot
 * log in or reset a password with that address, since every look-up goes through the rule first; nothing is
 * changed here, an operator decides per user. Run by {@code scripts/check_emails.py}; pages through the users-only
 * email-index ({@link UserStore#page}). Prints {@code refused <userId> <masked email>: <reason>} or
 * {@code respelled <userId> <masked email> -> <masked normalised email>} per such user (masked as in the audit
 * log, characters outside printable ASCII as {@code \\uXXXX}), then {@code checked <n> users, <m> to fix}; exits 1
 * when any user was reported, 2 on bad arguments. AWS settings come from the environment as for
 * {@link UserImport}.
 */
public final class EmailCheck {

    static final int PAGE_SIZE = 100;

    private final UserStore users;
    private final PrintStream out;

    EmailCheck(UserStore users, PrintStream out) {
        this.users = users;
        this.out = out;
    }

    public static void main(String[] args) {
        String table = "ecommerce-users";
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--table") && i + 1 < args.length) {
                table = args[++i];
            } else {
                System.err.println("usage: check_emails [--table NAME]");
                System.exit(2);
            }
        }
        try (DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
            System.exit(new EmailCheck(UserStore.standalone(dynamo, table), System.out).run());
        }
    }

    /** Checks every user; returns the exit code. */
    int run() {
        int checked = 0;
        int toFix = 0;
        Optional<PageKey> after = Optional.empty();
        do {
            UserPage page = users.page(PAGE_SIZE, after);
            for (StoredUser user : page.users()) {
                checked++;
                String report = report(user.userId(), user.user().email());
                if (report != null) {
                    toFix++;
                    out.println(report);
                }
            }
            after = page.next();
        } while (after.isPresent());
        out.println("checked " + checked + " users, " + toFix + " to fix");
        return toFix > 0 ? 1 : 0;
    }

    /** The line for one user, or null when its stored email is already in the rule's one form. */
    static String report(String userId, String storedEmail) {
        InputRules.Email checked = InputRules.checkEmail(storedEmail);
        if (!checked.valid()) {
            return "refused " + userId + " " + masked(storedEmail) + ": " + checked.problem();
        }
        if (!checked.normalised().equals(storedEmail)) {
            return "respelled " + userId + " " + masked(storedEmail) + " -> " + masked(checked.normalised());
        }
        return null;
    }

    /** Masked as in the audit log, and escaped with {@link #printable}. */
    static String masked(String email) {
        return printable(AuthEvents.mask(email));
    }

    /** Printable ASCII as it is, anything else as {@code \\uXXXX}: nothing that moves a cursor or reorders text. */
    static String printable(String text) {
        StringBuilder printable = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c >= 0x21 && c <= 0x7e && c != '\\') {
                printable.append(c);
            } else {
                printable.append(String.format("\\u%04x", (int) c));
            }
        }
        return printable.toString();
    }
}
