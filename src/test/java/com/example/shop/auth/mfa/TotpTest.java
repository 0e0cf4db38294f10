package com.example.shop.auth.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6238 codes, the skew window, and what the enrolment shows. */
class TotpTest {

    /** The SHA-1 seed of RFC 6238 appendix B. */
    private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({ "59,94287082", "1111111109,07081804", "1111111111,14050471", "1234567890,89005924",
            "2000000000,69279037", "20000000000,65353130" })
    void theRfc6238TestVectors(long unixSeconds, String code) {
        assertEquals(code, Totp.code(RFC_SEED, Totp.stepAt(Instant.ofEpochSecond(unixSeconds)), 8));
    }

    @Test
    void oneStepEitherSideIsAcceptedTwoAreNot() {
        Instant now = Instant.ofEpochSecond(1_700_000_015);
        long step = Totp.stepAt(now);
        for (long offset = -1; offset <= 1; offset++) {
            String code = Totp.code(RFC_SEED, step + offset, Totp.DIGITS);
            assertEquals(OptionalLong.of(step + offset), Totp.matchingStep(RFC_SEED, code, now), "offset " + offset);
        }
        for (long offset : new long[] { -2, 2 }) {
            String code = Totp.code(RFC_SEED, step + offset, Totp.DIGITS);
            boolean matchesNearer = List.of(-1L, 0L, 1L).stream()
                    .anyMatch(near -> Totp.code(RFC_SEED, step + near, Totp.DIGITS).equals(code));
            if (!matchesNearer) {
                assertEquals(OptionalLong.empty(), Totp.matchingStep(RFC_SEED, code, now), "offset " + offset);
            }
        }
    }

    @Test
    void onlySixDigitsCanBeACode() {
        Instant now = Instant.ofEpochSecond(1_700_000_015);
        String code = Totp.code(RFC_SEED, Totp.stepAt(now), Totp.DIGITS);
        for (String notACode : new String[] { null, "", code + "0", code.substring(1), " " + code.substring(1),
                "１２３４５６", "12345a" }) {
            assertFalse(Totp.matchingStep(RFC_SEED, notACode, now).isPresent(), "refused: " + notACode);
        }
        assertTrue(Totp.matchingStep(RFC_SEED, code, now).isPresent());
    }

    @Test
    void theEnrolmentUriNamesIssuerAccountAndParameters() {
        assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Totp.base32(RFC_SEED));
        assertEquals("otpauth://totp/Shop:ada%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Shop"
                + "&algorithm=SHA1&digits=6&period=30", Totp.otpauthUri("Shop", "ada@example.com", RFC_SEED));
    }

    @Test
    void recoveryCodesAreTenDistinctEightyBitCodesReadLoosely() {
        List<String> codes = new RecoveryCodes().newCodes();
        assertEquals(10, codes.size());
        assertEquals(10, new HashSet<>(codes).size());
        for (String code : codes) {
            assertTrue(code.matches("[A-Z2-7]{4}(-[A-Z2-7]{4}){3}"), code);
            assertTrue(RecoveryCodes.looksLikeCode(code.toLowerCase().replace("-", " ")));
            assertEquals(RecoveryCodes.hash(code), RecoveryCodes.hash(code.toLowerCase().replace("-", "")));
        }
        assertFalse(RecoveryCodes.looksLikeCode("ABCD-EFGH-IJKL-MNO1"));
    }
}
