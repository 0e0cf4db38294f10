package com.example.shop.auth.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.FaultProxy.Mode;
import com.example.shop.auth.testing.Mailbox;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Table;
import com.example.shop.auth.testing.TestClock;
import com.example.shop.auth.testing.Windows;
import com.example.shop.auth.token.RandomTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The budget of emails per address and kind: a mail bomb cannot be aimed at a customer through the routes that mail
 * an address the caller types. Past the budget the route answers exactly as before and sends nothing.
 */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class MailBudgetTest {

    private static final String RESET = "Reset your password";
    private static final String VERIFY = "Confirm your email address";
    /** The defaults: 5 emails of each kind per address and hour. */
    private static final int BUDGET = 5;
    private static final Duration WINDOW = Duration.ofHours(1);

    @Inject
    TestClock clock;

    @Inject
    DynamoDbClient dynamo;

    @BeforeEach
    void startOfAWindow() {
        clock.reset();
        Windows.startFresh(clock, WINDOW);
    }

    @AfterEach
    void heal() {
        clock.reset();
        MotoServer.PROXIES.values().forEach(proxy -> proxy.setMode(Mode.PASS));
    }

    @Test
    void eightResetRequestsForOneAddressSendFiveEmailsWithEightIdenticalAnswers() throws Exception {
        String email = Api.existingUser("bomb").get("email");
        long suppressedBefore = auditLines("\"mail_suppressed\"", "\"reset\"");

        List<Response> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(Api.requestReset(email));
        }

        for (Response answer : answers) {
            assertEquals(202, answer.statusCode());
            assertEquals(answers.get(0).asString(), answer.asString());
            assertEquals(answers.get(0).contentType(), answer.contentType());
        }
        assertEquals(BUDGET, Mailbox.withSubject(email, RESET).size(), "the budget of reset emails per address and hour");
        assertEquals(3, auditLines("\"mail_suppressed\"", "\"reset\"") - suppressedBefore,
                "an audit line for each email not sent");
        // the newest link sent still works: the requests past the budget replaced nothing
        Api.confirmReset(Mailbox.latestResetToken(email), Api.newPassword()).then().statusCode(204);
    }

    @Test
    void anUnknownAddressGetsTheSameEightAnswersAndNoEmail() {
        String known = Api.existingUser("bomb-known").get("email");
        String unknown = Api.uniqueEmail("bomb-nobody");
        for (int i = 0; i < 8; i++) {
            Response forKnown = Api.requestReset(known);
            Response forUnknown = Api.requestReset(unknown);
            assertEquals(202, forUnknown.statusCode());
            assertEquals(forKnown.statusCode(), forUnknown.statusCode());
            assertEquals(forKnown.contentType(), forUnknown.contentType());
            assertEquals(forKnown.asString(), forUnknown.asString());
        }
        assertEquals(0, Mailbox.sentTo(unknown).size());
        assertEquals(5, Mailbox.withSubject(known, RESET).size());
    }

    @Test
    void theBudgetIsPerHourAndComesBackInTheNextWindow() {
        String email = Api.existingUser("bomb-later").get("email");
        for (int i = 0; i < 6; i++) {
            Api.requestReset(email).then().statusCode(202);
        }
        assertEquals(5, Mailbox.withSubject(email, RESET).size());

        clock.advance(WINDOW);
        Api.requestReset(email).then().statusCode(202);
        assertEquals(6, Mailbox.withSubject(email, RESET).size(), "a new window, a new budget");
    }

    @Test
    void emailChangeMailToOneAddressHasABudgetToo() {
        var user = Api.existingUser("bomb-change");
        Api.Tokens tokens = Api.signIn(user);
        String target = Api.uniqueEmail("bomb-change-target");
        for (int i = 0; i < 8; i++) {
            Api.signedIn("POST", "/me/email", tokens.accessToken(), Map.of("newEmail", target, "password",
                    user.get("password"))).then().statusCode(202);
        }
        assertEquals(5, Mailbox.sentTo(target).size(), "5 emails of the kind per address and hour, then none");
    }

    @Test
    void verificationResendsHaveABudgetOfTheirOwn() {
        String email = Api.uniqueEmail("bomb-verify");
        Api.signup(email, Api.newPassword(), "Unverified").then().statusCode(201); // its own link, not a resend

        for (int i = 0; i < 8; i++) {
            Api.requestVerification(email).then().statusCode(202);
        }
        assertEquals(1 + 5, Mailbox.withSubject(email, VERIFY).size(), "the signup's link and five resends");

        Api.requestReset(email).then().statusCode(202);
        assertEquals(1, Mailbox.withSubject(email, RESET).size(), "resends spend no reset budget");
    }

    @Test
    void theCounterHoldsTheAddressesHashNotTheAddressAndExpiresWithItsWindow() {
        String email = Api.existingUser("bomb-hash").get("email");
        Api.requestReset(email).then().statusCode(202);
        String hash = RandomTokens.hash(email);

        var counters = Table.itemsWithPrefix(dynamo, "RATE#mail-reset#" + hash + "#");
        assertEquals(1, counters.size());
        var counter = counters.get(0);
        assertEquals("1", counter.get("count").n());
        long windowStart = Long.parseLong(counter.get("userId").s().substring(counter.get("userId").s().lastIndexOf('#') + 1));
        assertEquals(windowStart + WINDOW.toSeconds(),
                Long.parseLong(counter.get("resetTokenExpiry").n()), "TTL at the window's end");
        assertTrue(Table.itemsWithPrefix(dynamo, "RATE#").stream().noneMatch(i -> i.toString().contains(email)),
                "no counter holds an address");
    }

    /**
     * When the counter cannot be written (here DynamoDB throttles that counter's key), the budget fails closed:
     * nothing is sent and the answer is the same as ever, so it cannot tell known from unknown addresses either.
     */
    @Test
    void aCounterThatCannotBeWrittenSendsNothingAndAnswersAsAlways() {
        String email = Api.existingUser("bomb-throttled").get("email");
        String unknown = Api.uniqueEmail("bomb-throttled-nobody");
        MotoServer.PROXIES.get("dynamodb").throttleWhere("UpdateItem", "RATE#mail-reset#");

        Response forKnown = Api.requestReset(email);
        Response forUnknown = Api.requestReset(unknown);

        assertEquals(202, forKnown.statusCode());
        assertEquals(forKnown.asString(), forUnknown.asString());
        assertEquals(0, Mailbox.withSubject(email, RESET).size(), "fails closed: no email");

        MotoServer.PROXIES.get("dynamodb").setMode(Mode.PASS);
        Api.requestReset(email).then().statusCode(202);
        assertEquals(1, Mailbox.withSubject(email, RESET).size(), "sent again once the counter can be written");
    }

    /** Lines of the application log holding every one of {@code parts}. */
    private static long auditLines(String... parts) throws Exception {
        Path log = Path.of("target/quarkus-test.log");
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.filter(line -> {
                for (String part : parts) {
                    if (!line.contains(part)) {
                        return false;
                    }
                }
                return true;
            }).count();
        }
    }
}
