package com.example.shop.auth.account;

import java.util.Locale;

/** Normalisation and shape rules for emails and display names. */
public final class InputRules {

    static final int MAX_EMAIL_LENGTH = 254;
    static final int MAX_NAME_LENGTH = 100;

    private InputRules() {
    }

    /** Trimmed and lower-cased; null when it is not an email address we accept. */
    public static String normaliseEmail(String raw) {
        if (raw == null) {
            return null;
        }
        String email = raw.strip().toLowerCase(Locale.ROOT);
        if (email.isEmpty() || email.length() > MAX_EMAIL_LENGTH) {
            return null;
        }
        if (email.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.isISOControl(c))) {
            return null;
        }
        int at = email.indexOf('@');
        if (at <= 0 || at != email.lastIndexOf('@')) {
            return null;
        }
        String domain = email.substring(at + 1);
        int dot = domain.indexOf('.');
        if (dot <= 0 || domain.endsWith(".") || domain.contains("..")) {
            return null;
        }
        return email;
    }

    public static String emailProblem(String raw) {
        if (raw == null || raw.isBlank()) {
            return "Email is required.";
        }
        if (raw.strip().length() > MAX_EMAIL_LENGTH) {
            return "Email must be at most " + MAX_EMAIL_LENGTH + " characters.";
        }
        return "Email must be a valid address such as name@example.com.";
    }

    /** Trimmed display name, or null when it breaks a rule; see {@link #nameProblem}. */
    public static String normaliseName(String raw) {
        return nameProblem(raw) == null ? raw.strip() : null;
    }

    public static String nameProblem(String raw) {
        if (raw == null || raw.isBlank()) {
            return "Name is required.";
        }
        String name = raw.strip();
        if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            return "Name must be at most " + MAX_NAME_LENGTH + " characters.";
        }
        if (name.codePoints().anyMatch(InputRules::isControl)) {
            return "Name must not contain control characters.";
        }
        return null;
    }

    static boolean isControl(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE || type == Character.UNASSIGNED;
    }
}
