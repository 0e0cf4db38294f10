package com.example.shop.auth.mail;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.shop.auth.AuthConfig;

import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.SendEmailRequest;

/** The emails the service sends, through SES from the configured verified identity. */
@ApplicationScoped
public class Mailer {

    private final SesClient ses;
    private final AuthConfig.Mail config;

    public Mailer(SesClient ses, AuthConfig config) {
        this.ses = ses;
        this.config = config.mail();
    }

    public void sendResetLink(String to, String link, Duration validFor) {
        send(to, "Reset your password",
                "Someone asked to reset the password of your account.\n\n"
                        + "To choose a new password, open this link within " + validFor.toMinutes() + " minutes:\n\n"
                        + link + "\n\n"
                        + "If it was not you, ignore this email: your password stays as it is.\n");
    }

    public void sendVerificationLink(String to, String link, Duration validFor) {
        send(to, "Confirm your email address",
                "Please confirm that this address belongs to your new account.\n\n"
                        + "Open this link within " + validFor.toHours() + " hours and press the button:\n\n"
                        + link + "\n\n"
                        + "If you did not create an account, ignore this email.\n");
    }

    /** To the new address of an email change: the link that proves it and makes the change. */
    public void sendEmailChangeLink(String to, String link, Duration validFor) {
        send(to, "Confirm your new email address",
                "Someone asked to make this the email address of their account at our shop.\n\n"
                        + "To confirm, open this link within " + validFor.toMinutes() + " minutes and press the "
                        + "button:\n\n"
                        + link + "\n\n"
                        + "From then on, this address signs in to the account.\n\n"
                        + "If it was not you, ignore this email: nothing changes.\n");
    }

    /**
     * To an address someone asked to move to their account while it already belongs to an account (this one):
     * nothing changes, no link is sent.
     */
    public void sendEmailChangeRefused(String to) {
        send(to, "Someone tried to use your email address",
                "Someone signed in to another account at our shop asked to make this email address that "
                        + "account's address.\n\n"
                        + "This address already belongs to your account, so nothing was changed and no link was "
                        + "sent. You need not do anything.\n\n"
                        + "If it was you: an address belongs to one account only. Change this account's address "
                        + "first, or delete it, then ask again.\n");
    }

    /** To the old address of an account whose email was just changed. */
    public void sendEmailChanged(String to, String newEmailMasked) {
        send(to, "Your email address was changed",
                "The email address of your account was just changed to " + newEmailMasked + ". This address "
                        + "no longer signs in to it, and our emails now go to the new one.\n\n"
                        + "If it was not you, contact support at once.\n");
    }

    public void sendAccountDeleted(String to) {
        send(to, "Your account was deleted",
                "Your account and everything stored with it were deleted, as you asked.\n\n"
                        + "If it was not you, contact support at once.\n");
    }

    public void sendAccountDeletedBySupport(String to) {
        send(to, "Your account was deleted",
                "Your account and everything stored with it were deleted by the shop's support team.\n\n"
                        + "If you did not expect this, contact support.\n");
    }

    public void sendPasswordChanged(String to) {
        send(to, "Your password was changed",
                "The password of your account was just changed.\n\n"
                        + "If it was not you, reset your password at once and contact support.\n");
    }

    private void send(String to, String subject, String text) {
        SendEmailRequest.Builder request = SendEmailRequest.builder()
                .source(config.sender())
                .destination(d -> d.toAddresses(to))
                .message(m -> m
                        .subject(c -> c.charset("UTF-8").data(subject))
                        .body(b -> b.text(c -> c.charset("UTF-8").data(text))));
        config.configurationSet().ifPresent(request::configurationSetName);
        ses.sendEmail(request.build());
    }
}
