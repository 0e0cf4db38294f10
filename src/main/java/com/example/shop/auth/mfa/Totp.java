package com.example.shop.auth.mfa;

import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.OptionalLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.commons.codec.binary.Base32;

/**
 * Time-based one-time passwords (RFC 6238 on RFC 4226's HOTP) as authenticator apps make them: HMAC-SHA1, 30-second
 * steps from the Unix epoch, 6 digits. A code is accepted for the current step and one step either side (clock
 * skew); which step it matched is returned so the caller can accept each step once.
 */
public final class Totp {

    public static final int PERIOD_SECONDS = 30;
    public static final int DIGITS = 6;
    /** Steps either side of the current one whose codes are still accepted. */
    public static final int SKEW_STEPS = 1;
    /** 160 bits, the size of an HMAC-SHA1 output (RFC 4226 §4 recommends it). */
    public static final int SECRET_BYTES = 20;

    private static final String ALGORITHM = "HmacSHA1";

    private Totp() {
    }

    /** The time step an instant falls in. */
    public static long stepAt(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), PERIOD_SECONDS);
    }

    /** The code of {@code step}, {@code digits} long (RFC 4226 §5.3 dynamic truncation). */
    public static String code(byte[] secret, long step, int digits) {
        byte[] hmac;
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            hmac = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(step).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
        int offset = hmac[hmac.length - 1] & 0x0f;
        int binary = ((hmac[offset] & 0x7f) << 24) | ((hmac[offset + 1] & 0xff) << 16)
                | ((hmac[offset + 2] & 0xff) << 8) | (hmac[offset + 3] & 0xff);
        long modulus = (long) Math.pow(10, digits);
        String code = Long.toString(binary % modulus);
        return "0".repeat(digits - code.length()) + code;
    }

    /** The step within the skew of {@code now} whose 6-digit code this is, if any. */
    public static OptionalLong matchingStep(byte[] secret, String code, Instant now) {
        if (!looksLikeCode(code)) {
            return OptionalLong.empty();
        }
        long current = stepAt(now);
        byte[] given = code.getBytes(StandardCharsets.US_ASCII);
        for (long step = current - SKEW_STEPS; step <= current + SKEW_STEPS; step++) {
            if (MessageDigest.isEqual(given, code(secret, step, DIGITS).getBytes(StandardCharsets.US_ASCII))) {
                return OptionalLong.of(step);
            }
        }
        return OptionalLong.empty();
    }

    /** Six ASCII digits: anything else is never a code. */
    public static boolean looksLikeCode(String code) {
        return code != null && code.length() == DIGITS && code.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** The secret as authenticator apps take it: RFC 4648 base32, without padding. */
    public static String base32(byte[] secret) {
        return new Base32().encodeAsString(secret).replace("=", "");
    }

    /**
     * The enrolment URI authenticator apps read from a QR code (Google Authenticator's Key Uri Format):
     * {@code otpauth://totp/<issuer>:<account>?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30}.
     */
    public static String otpauthUri(String issuer, String account, byte[] secret) {
        String label = pathEncode(issuer) + ":" + pathEncode(account);
        return "otpauth://totp/" + label + "?secret=" + base32(secret) + "&issuer=" + pathEncode(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + PERIOD_SECONDS;
    }

    private static String pathEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
