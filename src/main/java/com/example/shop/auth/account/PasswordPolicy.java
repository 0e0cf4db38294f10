package com.example.shop.auth.account;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

import jakarta.inject.Singleton;

import io.quarkus.runtime.Startup;

import com.example.shop.auth.AuthConfig;

/**
 * NIST SP 800-63B-4 / OWASP ASVS v5 6.2: length, not composition. Passwords are NFKC-normalised first, so
 * the same password typed on another keyboard or OS still matches.
 */
@Startup // fail at init on bad settings, and load the common-password list before the first request
@Singleton
public class PasswordPolicy {

    /** bcrypt reads at most 72 bytes; anything longer would be silently cut, so it is refused instead. */
    static final int MAX_UTF8_BYTES = 72;
    static final int LOWEST_ALLOWED_MIN_LENGTH = 8;

    private final int minLength;
    private final CommonPasswords commonPasswords;

    public PasswordPolicy(AuthConfig config, CommonPasswords commonPasswords) {
        this.minLength = config.password().minLength();
        if (minLength < LOWEST_ALLOWED_MIN_LENGTH) {
            throw new IllegalStateException("auth.password.min-length must be at least " + LOWEST_ALLOWED_MIN_LENGTH);
        }
        this.commonPasswords = commonPasswords;
    }

    public static String normalise(String password) {
        return Normalizer.normalize(password, Normalizer.Form.NFKC);
    }

    /** What is wrong with a new password (already normalised), or null when it is acceptable. */
    public String problem(String normalisedPassword, String normalisedEmail) {
        if (normalisedPassword == null || normalisedPassword.isEmpty()) {
            return "Password is required.";
        }
        if (normalisedPassword.codePointCount(0, normalisedPassword.length()) < minLength) {
            return "Password must be at least " + minLength + " characters.";
        }
        if (!fitsBcrypt(normalisedPassword)) {
            return "Password must be at most " + MAX_UTF8_BYTES
                    + " bytes in UTF-8 (bcrypt ignores anything longer); use fewer or simpler characters.";
        }
        if (normalisedEmail != null && normalisedPassword.toLowerCase(Locale.ROOT).contains(normalisedEmail)) {
            return "Password must not contain your email address.";
        }
        if (commonPasswords.contains(normalisedPassword)) {
            return "Password is too common; choose one that is harder to guess.";
        }
        return null;
    }

    public static boolean fitsBcrypt(String normalisedPassword) {
        return normalisedPassword.getBytes(StandardCharsets.UTF_8).length <= MAX_UTF8_BYTES;
    }
}
