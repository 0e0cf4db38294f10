package com.example.shop.auth.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one email rule (RFC 5321 dot-atom, one {@code @}, DNS host name in A-label form, IDNA 2008 restrictions on top
 * of the JDK's IDNA 2003) and the name rule, without the service around them.
 */
class InputRulesTest {

    /** Each of these was a separate account beside {@code a@x.example} before the rule. */
    @ParameterizedTest
    @ValueSource(strings = {
            "<a@x.example>", "\"a\"@x.example", "a(c)@x.example", "a@x.example(c)", "a@[x.example]",
            "a@[192.0.2.1]", "a@x.example:25", "a%x.example@x.example", "a%b@x.example", "@relay.example:a@x.example",
            "a\\@b@x.example", "a@x.example,b@y.example",
            "a\u200b@x.example", "a@x\u200b.example", "a\u202e@x.example", "\ufeffa@x.example", "a@x.exam\u00adple",
            "a\u200d@x.example" })
    void theAttackersSpellingsAreRefused(String email) {
        assertNull(InputRules.normaliseEmail(email), email);
        assertTrue(InputRules.emailProblem(email).startsWith("Email must be a valid address"), email);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "a", "@x.example", "a@", "a@@x.example", "a@b@x.example", "a b@x.example", "a@x .example",
            "a\u0007@x.example", ".a@x.example", "a.@x.example", "a..b@x.example", "ü@x.example", "a,b@x.example",
            "a;b@x.example", "a[b]@x.example", "a@localhost", "a@x.example.", "a@.x.example", "a@x..example",
            "a@x_y.example", "a@-x.example", "a@x-.example", "a@x.123", "a@192.0.2.1", "a@ab--cd.example",
            "a@xn--abc.example", "a@x.xn--zz", "a@xn--.example",
            // deviations, in U-label and in IDNA 2008 A-label form: never mapped the IDNA 2003 way
            "a@straße.example", "a@xn--strae-oqa.example", "a@βόλος.example", "a@xn--nxasmm1c.example",
            // symbols and punctuation IDNA 2003 allowed and IDNA 2008 does not
            "a@☃.example", "a@xn--n3h.example", "a@i♥.example", "a@x·y.example", "a@x\u0640y.example",
            // a combining mark first; mixed directions (RFC 5893); two kinds of Arabic digits
            "a@\u0301a.example", "a@aא.example", "a@١٢٣.example", "a@ب١۱.example" })
    void otherBadAddressesAreRefused(String email) {
        assertNull(InputRules.normaliseEmail(email), email);
        assertNotNull(InputRules.emailProblem(email), email);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " -> ", quoteCharacter = '"', value = {
            "ada@example.com -> ada@example.com",
            "\"  Ada@Example.COM \" -> ada@example.com",
            "Ada+Shop@Example.COM -> ada+shop@example.com",
            "o'brien@mail.sub.example.co.uk -> o'brien@mail.sub.example.co.uk",
            "first.last@x.example -> first.last@x.example",
            "!#$&'*+-/=?^_`{|}~@x.example -> !#$&'*+-/=?^_`{|}~@x.example",
            "a@123.example -> a@123.example",
            "a@b.c -> a@b.c",
            "a@bücher.example -> a@xn--bcher-kva.example",
            "A@BÜCHER.EXAMPLE -> a@xn--bcher-kva.example",
            "a@XN--BCHER-KVA.example -> a@xn--bcher-kva.example",
            "a@пример.рф -> a@xn--e1afmkfd.xn--p1ai",
            "a@x.xn--p1ai -> a@x.xn--p1ai",
            "a@مثال.إختبار -> a@xn--mgbh0fb.xn--kgbechtv",
            "a@ΑΣ.example -> a@xn--mxa0b.example",
            "a@x。example -> a@x.example",
            "a@ｘ.example -> a@x.example" })
    void validAddressesHaveOneNormalisedForm(String raw, String normalised) {
        assertEquals(normalised, InputRules.normaliseEmail(raw));
        assertNull(InputRules.emailProblem(raw));
        assertEquals(normalised, InputRules.normaliseEmail(normalised), "the normalised form is a fixed point");
    }

    @Test
    void lengthsAreCountedInOctetsOfTheNormalisedForm() {
        String label63 = "d".repeat(63);
        assertEquals("l".repeat(64) + "@x.example", InputRules.normaliseEmail("l".repeat(64) + "@x.example"));
        assertNull(InputRules.normaliseEmail("l".repeat(65) + "@x.example"));
        assertEquals("a@" + label63 + ".example", InputRules.normaliseEmail("a@" + label63 + ".example"));
        assertNull(InputRules.normaliseEmail("a@" + label63 + "d.example"));

        // 64 + 1 + 189 = 254 characters: the longest address
        String domain189 = label63 + "." + label63 + "." + "d".repeat(53) + ".example";
        assertEquals(189, domain189.length());
        String longest = "l".repeat(64) + "@" + domain189;
        assertEquals(longest, InputRules.normaliseEmail(longest));
        assertNull(InputRules.normaliseEmail("l".repeat(64) + "@d." + domain189));

        // a short U-label whose A-label makes the address too long
        String almost = "l".repeat(64) + "@" + label63 + "." + label63 + "." + "d".repeat(50);
        assertEquals(243, almost.length());
        assertNull(InputRules.normaliseEmail(almost + ".bücher"), "250 characters as typed, 257 as xn--bcher-kva");
        assertNotNull(InputRules.normaliseEmail(almost + ".abc"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "Ada\u200bLovelace", "\u202eecalevol", "Ada\ufeff", "Ada\u00adLovelace", "Ada\nLovelace",
            "Ada\u0000", "Ada\u2028Lovelace" })
    void namesWithControlOrFormatCharactersAreRefused(String name) {
        assertNull(InputRules.normaliseName(name));
        assertNotNull(InputRules.nameProblem(name));
    }

    @ParameterizedTest
    @ValueSource(strings = { "Ada Lovelace", "Zoë Ålander", "Seán O'Brien", "李小龍", "محمد", "Ada 🙂" })
    void ordinaryNamesAreAccepted(String name) {
        assertEquals(name, InputRules.normaliseName("  " + name + " "));
    }
}
