package com.example.shop.auth.account;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Normalisation and shape rules for emails and display names: the one rule every place that takes an email uses
 * (signup, login, reset, verification resend, admin look-up, the user import, the stored-email check).
 *
 * <p>An email is accepted in one spelling only, the one stored, claimed, compared and sent to: a lower-cased
 * RFC 5321 dot-atom local part (ASCII, without {@code %}), one {@code @}, and a DNS host name in A-label
 * (punycode) form. Quoted strings, comments, angle brackets, domain literals, ports and routes are refused rather
 * than interpreted, so that no two spellings of one mailbox become two accounts.
 *
 * <p><b>IDNA: an approximation of IDNA 2008 / UTS #46.</b> ICU4J, which implements UTS #46, is about 15 MB
 * (icu4j 79.1), which the 30 MB function.zip cannot take. So internationalised labels go through the JDK's
 * {@link IDN} (IDNA 2003: nameprep mapping, i.e. NFKC and case folding, with STD3 ASCII rules), and the IDNA 2008
 * restrictions that matter are added on top:
 * <ul>
 * <li>the four deviation characters (ß, ς, ZWJ, ZWNJ), which IDNA 2003 maps away but IDNA 2008 keeps (so the two
 * standards name different domains), are refused, not mapped;</li>
 * <li>a U-label may hold only what RFC 5892 calls LetterDigits (categories Ll, Lu, Lo, Lm, Mn, Mc, Nd) and the
 * hyphen, so the symbols and punctuation IDNA 2003 allowed (☃, ♥, ·, …) are refused; RFC 5892's exceptions that
 * are disallowed (U+0640, U+07FA, U+302E, U+302F, U+3031–U+3035, U+303B) and old Hangul jamo are refused too;</li>
 * <li>a U-label must not start with a combining mark, nor have a hyphen first, last or in both the 3rd and 4th
 * places; Arabic-Indic and extended Arabic-Indic digits must not be mixed (RFC 5892 CONTEXTO);</li>
 * <li>the Bidi rule of RFC 5893 is checked for domains with right-to-left labels;</li>
 * <li>an {@code xn--} label must be the canonical encoding of a U-label that passes all of the above.</li>
 * </ul>
 * What stays approximate: the JDK knows Unicode 3.2 only, so letters added to Unicode since are refused (stricter
 * than IDNA 2008); nameprep's mapping is used where UTS #46 has its own table (the same for the characters both
 * know, once the deviations are refused); CONTEXTO characters allowed only in context (the Catalan middle dot,
 * the Greek keraia, Hebrew geresh and gershayim, the katakana middle dot) are refused everywhere (stricter).
 */
public final class InputRules {

    static final int MAX_EMAIL_LENGTH = 254;
    static final int MAX_LOCAL_LENGTH = 64;
    static final int MAX_DOMAIN_LENGTH = 253;
    static final int MAX_LABEL_LENGTH = 63;
    static final int MAX_NAME_LENGTH = 100;

    private static final String INVALID = "Email must be a valid address such as name@example.com";
    /**
     * RFC 5321 atext without {@code %}: {@code user%host@relay} is the old "percent hack" source route, which some
     * relays still follow, so one mailbox (or another host's) would have any number of spellings. No mailbox
     * provider hands out addresses with {@code %}.
     */
    private static final Pattern LOCAL_PART = Pattern.compile("[a-z0-9!#$&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LDH_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    /** Full stops that UTS #46 (and IDNA 2003) map to "." in a domain. */
    private static final Pattern LABEL_SEPARATORS = Pattern.compile("[.\u3002\uff0e\uff61]");

    private InputRules() {
    }

    /** The result of checking an email: exactly one of the normalised address and the problem is set. */
    public record Email(String normalised, String problem) {
        public boolean valid() {
            return normalised != null;
        }
    }

    /** The one normalised form (lower-cased, A-label domain), or null when it is not an email address we accept. */
    public static String normaliseEmail(String raw) {
        return checkEmail(raw).normalised();
    }

    /** Why an email is refused (for a {@code 400}'s field message or an operator's report); null when accepted. */
    public static String emailProblem(String raw) {
        return checkEmail(raw).problem();
    }

    public static Email checkEmail(String raw) {
        if (raw == null || raw.isBlank()) {
            return refused("Email is required.");
        }
        String email = raw.strip();
        if (email.length() > MAX_EMAIL_LENGTH) {
            return refused("Email must be at most " + MAX_EMAIL_LENGTH + " characters.");
        }
        if (email.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c) || isControl(c)
                || Character.getType(c) == Character.FORMAT)) {
            return refused(INVALID + "; spaces, control and invisible formatting characters are not allowed.");
        }
        if (email.indexOf('"') >= 0 || email.indexOf('(') >= 0 || email.indexOf(')') >= 0 || email.indexOf('<') >= 0
                || email.indexOf('>') >= 0 || email.indexOf('\\') >= 0) {
            return refused(INVALID + "; quoted strings, comments and angle brackets are not allowed.");
        }
        int at = email.indexOf('@');
        if (at < 0 || at != email.lastIndexOf('@')) {
            return refused(INVALID + "; it must have exactly one @.");
        }
        String local = email.substring(0, at);
        String domain = email.substring(at + 1);
        if (local.isEmpty() || domain.isEmpty()) {
            return refused(INVALID + "; it needs a name before the @ and a domain after it.");
        }
        if (email.indexOf('%') >= 0) {
            return refused(INVALID + "; mail routes (%) are not allowed.");
        }
        if (domain.startsWith("[") || domain.endsWith("]")) {
            return refused(INVALID + "; the domain must be a name, not an address in brackets.");
        }
        if (domain.indexOf(':') >= 0 || domain.indexOf(',') >= 0 || domain.indexOf('/') >= 0) {
            return refused(INVALID + "; the domain must not have a port or a route.");
        }
        if (local.chars().anyMatch(c -> c > 0x7f)) {
            return refused(INVALID + "; the part before the @ must be ASCII.");
        }
        local = local.toLowerCase(Locale.ROOT);
        if (local.length() > MAX_LOCAL_LENGTH) {
            return refused("The part of the email before the @ must be at most " + MAX_LOCAL_LENGTH + " characters.");
        }
        if (!LOCAL_PART.matcher(local).matches()) {
            return refused(local.startsWith(".") || local.endsWith(".") || local.contains("..")
                    ? INVALID + "; the part before the @ must not start or end with a dot or have two in a row."
                    : INVALID + "; the part before the @ may have only letters, digits, dots and "
                            + "! # $ & ' * + - / = ? ^ _ ` { | } ~.");
        }
        String[] labels = LABEL_SEPARATORS.split(domain, -1);
        if (labels.length < 2) {
            return refused(INVALID + "; the domain must have at least two parts, such as example.com.");
        }
        List<String> aLabels = new ArrayList<>(labels.length);
        boolean rightToLeft = false;
        for (String label : labels) {
            Label converted = label(label);
            if (converted.problem() != null) {
                return refused(INVALID + "; " + converted.problem());
            }
            aLabels.add(converted.aLabel());
            rightToLeft |= converted.rightToLeft();
        }
        if (rightToLeft) {
            for (String aLabel : aLabels) {
                String problem = bidiProblem(aLabel);
                if (problem != null) {
                    return refused(INVALID + "; " + problem);
                }
            }
        }
        String asciiDomain = String.join(".", aLabels);
        if (asciiDomain.length() > MAX_DOMAIN_LENGTH) {
            return refused("The domain of the email must be at most " + MAX_DOMAIN_LENGTH + " characters.");
        }
        if (aLabels.get(aLabels.size() - 1).chars().allMatch(c -> c >= '0' && c <= '9')) {
            return refused(INVALID + "; the top-level domain must not be all digits.");
        }
        String normalised = local + "@" + asciiDomain;
        if (normalised.length() > MAX_EMAIL_LENGTH) {
            return refused("Email must be at most " + MAX_EMAIL_LENGTH + " characters.");
        }
        return new Email(normalised, null);
    }

    private static Email refused(String problem) {
        return new Email(null, problem);
    }

    private record Label(String aLabel, boolean rightToLeft, String problem) {
        static Label refused(String problem) {
            return new Label(null, false, problem);
        }
    }

    private static final String LDH = "each part of the domain must be 1-63 letters, digits and hyphens, not "
            + "starting or ending with a hyphen.";

    /** One domain label in A-label form, or why it is refused. */
    private static Label label(String label) {
        if (label.isEmpty()) {
            return Label.refused("the domain must not start or end with a dot or have two in a row.");
        }
        String ascii = label;
        if (label.chars().anyMatch(c -> c > 0x7f)) {
            // the deviations: IDNA 2003 maps them away (ß to ss, ς to σ), IDNA 2008 keeps them: refused, not guessed
            if (label.chars().anyMatch(c -> c == 'ß' || c == 'ς' || c == 0x200c || c == 0x200d)) {
                return Label.refused("the domain has ß or ς, which IDNA 2003 and IDNA 2008 read as different "
                        + "domains; such domains are not accepted.");
            }
            try {
                ascii = IDN.toASCII(label, IDN.USE_STD3_ASCII_RULES);
            } catch (IllegalArgumentException e) {
                return Label.refused("the domain has a character not allowed in domain names.");
            }
        }
        ascii = ascii.toLowerCase(Locale.ROOT);
        if (ascii.length() > MAX_LABEL_LENGTH || !LDH_LABEL.matcher(ascii).matches()) {
            return Label.refused(LDH);
        }
        if (ascii.length() >= 4 && ascii.charAt(2) == '-' && ascii.charAt(3) == '-') {
            if (!ascii.startsWith("xn--")) {
                return Label.refused("parts of the domain with -- in the 3rd and 4th places are reserved.");
            }
            String uLabel = IDN.toUnicode(ascii, IDN.USE_STD3_ASCII_RULES);
            // toUnicode gives its input back when it is not the exact encoding of a valid (IDNA 2003) U-label
            if (uLabel.equals(ascii) || uLabel.chars().allMatch(c -> c <= 0x7f)) {
                return Label.refused("the domain has an xn-- part that is not a valid internationalised name.");
            }
            String problem = uLabelProblem(uLabel);
            if (problem != null) {
                return Label.refused(problem);
            }
            return new Label(ascii, uLabel.codePoints().anyMatch(InputRules::isRightToLeft), null);
        }
        return new Label(ascii, false, null);
    }

    /** The IDNA 2008 (RFC 5892) restrictions on a U-label that IDNA 2003 does not make. */
    private static String uLabelProblem(String uLabel) {
        String notAllowed = "the domain has a character not allowed in internationalised domain names.";
        if (uLabel.startsWith("-") || uLabel.endsWith("-")
                || uLabel.length() >= 4 && uLabel.charAt(2) == '-' && uLabel.charAt(3) == '-') {
            return LDH;
        }
        int first = uLabel.codePointAt(0);
        int firstType = Character.getType(first);
        if (firstType == Character.NON_SPACING_MARK || firstType == Character.COMBINING_SPACING_MARK
                || firstType == Character.ENCLOSING_MARK) {
            return "a part of the domain must not start with a combining mark.";
        }
        boolean arabicIndic = false;
        boolean extendedArabicIndic = false;
        for (int i = 0; i < uLabel.length();) {
            int c = uLabel.codePointAt(i);
            i += Character.charCount(c);
            if (c == '-') {
                continue;
            }
            if (!isLetterDigit(c) || isDisallowedException(c)) {
                return notAllowed;
            }
            arabicIndic |= c >= 0x0660 && c <= 0x0669;
            extendedArabicIndic |= c >= 0x06f0 && c <= 0x06f9;
        }
        if (arabicIndic && extendedArabicIndic) {
            return "a part of the domain mixes two kinds of Arabic digits.";
        }
        return null;
    }

    /** RFC 5892 LetterDigits: Ll, Lu, Lo, Nd, Lm, Mn, Mc (so not Lt, Nl, No, Me, symbols or punctuation). */
    private static boolean isLetterDigit(int c) {
        return switch (Character.getType(c)) {
            case Character.LOWERCASE_LETTER, Character.UPPERCASE_LETTER, Character.OTHER_LETTER,
                    Character.DECIMAL_DIGIT_NUMBER, Character.MODIFIER_LETTER, Character.NON_SPACING_MARK,
                    Character.COMBINING_SPACING_MARK -> true;
            default -> false;
        };
    }

    /** RFC 5892 section 2.6 exceptions that are DISALLOWED, and old Hangul jamo (section 2.9). */
    private static boolean isDisallowedException(int c) {
        return c == 0x0640 || c == 0x07fa || c == 0x302e || c == 0x302f || c >= 0x3031 && c <= 0x3035 || c == 0x303b
                || c >= 0x1100 && c <= 0x11ff || c >= 0xa960 && c <= 0xa97f || c >= 0xd7b0 && c <= 0xd7ff;
    }

    private static boolean isRightToLeft(int c) {
        byte d = Character.getDirectionality(c);
        return d == Character.DIRECTIONALITY_RIGHT_TO_LEFT || d == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC
                || d == Character.DIRECTIONALITY_ARABIC_NUMBER;
    }

    /** RFC 5893's Bidi rule for one label of a domain that has a right-to-left label. */
    private static String bidiProblem(String aLabel) {
        String label = aLabel.startsWith("xn--") ? IDN.toUnicode(aLabel, IDN.USE_STD3_ASCII_RULES) : aLabel;
        String problem = "a part of the domain mixes right-to-left and left-to-right text.";
        int[] cps = label.codePoints().toArray();
        byte first = Character.getDirectionality(cps[0]);
        int last = cps.length - 1;
        while (last > 0 && Character.getDirectionality(cps[last]) == Character.DIRECTIONALITY_NONSPACING_MARK) {
            last--;
        }
        byte end = Character.getDirectionality(cps[last]);
        if (first == Character.DIRECTIONALITY_RIGHT_TO_LEFT || first == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC) {
            boolean en = false;
            boolean an = false;
            for (int c : cps) {
                byte d = Character.getDirectionality(c);
                switch (d) {
                    case Character.DIRECTIONALITY_RIGHT_TO_LEFT, Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC,
                            Character.DIRECTIONALITY_EUROPEAN_NUMBER_SEPARATOR,
                            Character.DIRECTIONALITY_COMMON_NUMBER_SEPARATOR,
                            Character.DIRECTIONALITY_EUROPEAN_NUMBER_TERMINATOR,
                            Character.DIRECTIONALITY_OTHER_NEUTRALS, Character.DIRECTIONALITY_BOUNDARY_NEUTRAL,
                            Character.DIRECTIONALITY_NONSPACING_MARK -> {
                    }
                    case Character.DIRECTIONALITY_EUROPEAN_NUMBER -> en = true;
                    case Character.DIRECTIONALITY_ARABIC_NUMBER -> an = true;
                    default -> {
                        return problem;
                    }
                }
            }
            boolean endOk = end == Character.DIRECTIONALITY_RIGHT_TO_LEFT
                    || end == Character.DIRECTIONALITY_RIGHT_TO_LEFT_ARABIC
                    || end == Character.DIRECTIONALITY_EUROPEAN_NUMBER || end == Character.DIRECTIONALITY_ARABIC_NUMBER;
            return endOk && !(en && an) ? null : problem;
        }
        if (first != Character.DIRECTIONALITY_LEFT_TO_RIGHT) {
            return problem;
        }
        for (int c : cps) {
            switch (Character.getDirectionality(c)) {
                case Character.DIRECTIONALITY_LEFT_TO_RIGHT, Character.DIRECTIONALITY_EUROPEAN_NUMBER,
                        Character.DIRECTIONALITY_EUROPEAN_NUMBER_SEPARATOR,
                        Character.DIRECTIONALITY_COMMON_NUMBER_SEPARATOR,
                        Character.DIRECTIONALITY_EUROPEAN_NUMBER_TERMINATOR, Character.DIRECTIONALITY_OTHER_NEUTRALS,
                        Character.DIRECTIONALITY_BOUNDARY_NEUTRAL, Character.DIRECTIONALITY_NONSPACING_MARK -> {
                }
                default -> {
                    return problem;
                }
            }
        }
        return end == Character.DIRECTIONALITY_LEFT_TO_RIGHT || end == Character.DIRECTIONALITY_EUROPEAN_NUMBER ? null
                : problem;
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
        if (name.codePoints().anyMatch(c -> isControl(c) || Character.getType(c) == Character.FORMAT)) {
            return "Name must not contain control or invisible formatting characters.";
        }
        return null;
    }

    static boolean isControl(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE || type == Character.UNASSIGNED;
    }
}
