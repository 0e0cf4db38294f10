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
