package com.example.shop.auth.account;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.Mailbox;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Table;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One spelling per mailbox over HTTP: with {@code a@x.example} registered, each of an attacker's other spellings of
 * it made a new account (and went to SES as typed); now each is a {@code 400} naming the email field, the IDN and
 * punycode spellings of a domain are one account, and invisible characters are refused in emails and names.
 */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class StrictEmailTest {

    private static final String DOMAIN = "shop-test.example.com";

    @Inject
    DynamoDbClient dynamo;

    @Test
    void otherSpellingsOfARegisteredAddressAreRefusedAtSignup() {
        String local = "victim-" + UUID.randomUUID().toString().substring(0, 8);
        String registered = local + "@" + DOMAIN;
        Api.signup(registered, Api.newPassword(), "Victim").then().statusCode(201);

        List<String> spellings = List.of(
                "<" + registered + ">",
                "\"" + local + "\"@" + DOMAIN,
                local + "(c)@" + DOMAIN,
                local + "@[" + DOMAIN + "]",
                registered + ":25",
                local + "%" + DOMAIN + "@" + DOMAIN,
                local + "\u200b@" + DOMAIN,
                local + "\u202e@" + DOMAIN,
                "\ufeff" + registered);
        for (String spelling : spellings) {
            Response signup = Api.signup(spelling, Api.newPassword(), "Attacker");
            signup.then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:ecommerce-auth:problem:invalid-input"))
                    .body("errors.field", hasItem("email"));
            assertFalse(signup.asString().contains(local), "the problem does not echo the address: " + spelling);
            assertTrue(Mailbox.sentTo(spelling).isEmpty(), "nothing went to SES for " + spelling);

            Api.login(spelling, Api.newPassword()).then().statusCode(401);
            Api.requestReset(spelling).then().statusCode(400).body("errors.field", hasItem("email"));
            Api.requestVerification(spelling).then().statusCode(400).body("errors.field", hasItem("email"));
        }
    }

    @Test
    void theIdnAndPunycodeSpellingsOfADomainAreOneAccount() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String unicode = "Ana@Bücher-" + tag + ".Example";
        String punycode = "ana@" + java.net.IDN.toASCII("bücher-" + tag) + ".example";
        assertTrue(punycode.startsWith("ana@xn--"), punycode);
        String password = Api.newPassword();

        Api.signup(unicode, password, "Ana").then().statusCode(201).body("email", equalTo(punycode));
        assertTrue(Table.item(dynamo, "EMAIL#" + punycode).isPresent(), "claimed in the A-label form");
        assertEquals(1, Mailbox.sentTo(punycode).size(), "the verification mail goes to the A-label form");

        Api.signup(punycode, Api.newPassword(), "Someone Else").then().statusCode(409);
        Api.signup(punycode.toUpperCase(Locale.ROOT), Api.newPassword(), "Someone Else").then().statusCode(409);
        Api.login(unicode, password).then().statusCode(200);
        Api.login(punycode, password).then().statusCode(200);
    }

    @Test
    void invisibleCharactersAreRefusedInNames() {
        for (String name : List.of("Ada\u200bLovelace", "\u202eecalevoL adA", "Ada\ufeff Lovelace")) {
            Api.signup(Api.uniqueEmail("name"), Api.newPassword(), name).then().statusCode(400)
                    .body("errors.field", equalTo(List.of("name")));
        }
    }

    @Test
    void ordinaryAddressesAreStillAccepted() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        List<String> addresses = List.of(
                "ada+shop-" + tag + "@" + DOMAIN,
                "ada-" + tag + "@mail.eu." + DOMAIN,
                "o'brien-" + tag + "@" + DOMAIN,
                "first.last-" + tag + "@xn--bcher-kva.example",
                "ada-" + tag + "@xn--e1afmkfd.xn--p1ai");
        for (String address : addresses) {
            String password = Api.newPassword();
            Api.signup(address.toUpperCase(Locale.ROOT), password, "Ada").then().statusCode(201).body("email", equalTo(address));
            Api.login(address, password).then().statusCode(200);
        }
    }
}
