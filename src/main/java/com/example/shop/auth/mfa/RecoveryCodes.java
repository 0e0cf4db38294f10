package com.example.shop.auth.mfa;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.commons.codec.binary.Base32;

import com.example.shop.auth.token.RandomTokens;

/**
 * Recovery codes: ten at a time, each 80 random bits as 16 base32 characters in groups of four
 * ({@code ABCD-EFGH-IJKL-MNOP}). The table keeps only their SHA-256; a code is read case-insensitively, with or
 * without its dashes and spaces.
 */
@ApplicationScoped
public class RecoveryCodes {

    public static final int COUNT = 10;
    private static final int CODE_BYTES = 10; // 80 bits: 16 base32 characters, no padding
    private static final int GROUP = 4;

    private final SecureRandom random = new SecureRandom();

    public List<String> newCodes() {
        List<String> codes = new ArrayList<>();
        while (codes.size() < COUNT) {
            byte[] bytes = new byte[CODE_BYTES];
            random.nextBytes(bytes);
            String plain = new Base32().encodeAsString(bytes);
            StringBuilder grouped = new StringBuilder();
            for (int i = 0; i < plain.length(); i += GROUP) {
                grouped.append(i == 0 ? "" : "-").append(plain, i, i + GROUP);
            }
            codes.add(grouped.toString());
        }
        return codes;
    }

    /** The SHA-256 hashes the table keeps of these codes. */
    public static Set<String> hashes(List<String> codes) {
        return codes.stream().map(RecoveryCodes::hash).collect(Collectors.toSet());
    }

    /** The hash of a code as typed: case, dashes and spaces do not matter. */
    public static String hash(String typed) {
        return RandomTokens.hash(normalise(typed));
    }

    /** Whether the input could be a recovery code at all (16 base32 characters once dashes and spaces are gone). */
    public static boolean looksLikeCode(String typed) {
        if (typed == null || typed.length() > 40) {
            return false;
        }
        String plain = normalise(typed);
        return plain.length() == 16 && plain.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'));
    }

    private static String normalise(String typed) {
        return typed.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
    }
}
