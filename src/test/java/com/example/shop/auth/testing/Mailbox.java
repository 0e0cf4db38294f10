package com.example.shop.auth.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The emails SES accepted, read back from moto's own inspection endpoint ({@code /moto-api/data.json}, which lists
 * every message sent through its SES backend), so a test follows the reset link a user would get.
 */
public final class Mailbox {

    private static final Pattern TOKEN = Pattern.compile("[?&]token=([A-Za-z0-9_-]+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Mailbox() {
    }

    public record Mail(String source, String subject, String body) {
    }

    public static List<Mail> sentTo(String address) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(MotoServer.endpoint + "/moto-api/data.json")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode messages = new ObjectMapper().readTree(response.body()).path("ses").path("Message");
            List<Mail> mails = new ArrayList<>();
            for (JsonNode message : messages) {
                if (message.path("destinations").toString().contains("\"" + address + "\"")) {
                    mails.add(new Mail(message.path("source").asText(), message.path("subject").asText(),
                            message.path("body").asText()));
                }
            }
            return mails;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read moto's mailbox", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The token in the newest reset email to this address. */
    public static String latestResetToken(String address) {
        return latestToken(address, "Reset your password");
    }

    /** The token in the newest email-verification email to this address. */
    public static String latestVerificationToken(String address) {
        return latestToken(address, "Confirm your email address");
    }

    /** The token in the newest email-change link sent to this (new) address. */
    public static String latestEmailChangeToken(String address) {
        return latestToken(address, "Confirm your new email address");
    }

    public static List<Mail> withSubject(String address, String subject) {
        return sentTo(address).stream().filter(m -> m.subject().equals(subject)).toList();
    }

    private static String latestToken(String address, String subject) {
        List<Mail> mails = withSubject(address, subject);
        if (mails.isEmpty()) {
            throw new AssertionError("no '" + subject + "' email was sent to " + address);
        }
        Matcher matcher = TOKEN.matcher(mails.get(mails.size() - 1).body());
        if (!matcher.find()) {
            throw new AssertionError("the '" + subject + "' email has no link with a token");
        }
        return TestSecrets.remember(matcher.group(1));
    }
}
