package com.example.shop.auth.account;

/** The kinds of email a caller can ask us to send to an address, each with its own budget per address. */
public enum MailKind {
    RESET("reset"),
    VERIFICATION("verification"),
    EMAIL_CHANGE("email-change");

    private final String label;

    MailKind(String label) {
        this.label = label;
    }

    /** A short name for audit lines and counter keys. */
    public String label() {
        return label;
    }
}
