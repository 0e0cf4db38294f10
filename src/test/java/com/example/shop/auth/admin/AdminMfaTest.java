package com.example.shop.auth.admin;

import static com.example.shop.auth.admin.AdminEvents.asOperator;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.Authenticator;
import com.example.shop.auth.testing.LambdaEvents;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Table;
import com.example.shop.auth.testing.TestClock;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** An operator removes a customer's TOTP (a lost phone without recovery codes); the summary shows it, never the secret. */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class AdminMfaTest {

    @Inject
    TestClock clock;

    @Inject
    DynamoDbClient dynamo;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void removingMfaTurnsTotpOffAndTheSummaryShowsIt() {
        Authenticator.Enrolled enrolled = Authenticator.enrolledUser("admin-mfa", clock);
        String userId = Table.usersWithEmail(dynamo, enrolled.user().get("email")).get(0).get("userId").s();

        LambdaEvents.Answer before = asOperator("GET", "/admin/users/" + userId);
        assertEquals(200, before.status(), before.body());
        assertEquals(Map.of("totp", true, "passkeys", 0), before.json().getMap("mfa"));
        assertFalse(before.body().contains(enrolled.secret()), "never the secret");
        enrolled.recoveryCodes().forEach(code -> assertFalse(before.body().contains(code), "never a recovery code"));

        assertEquals(204, asOperator("DELETE", "/admin/users/" + userId + "/mfa").status());
        assertEquals(Map.of("totp", false, "passkeys", 0), asOperator("GET", "/admin/users/" + userId).json().getMap("mfa"));
        var item = Table.usersWithEmail(dynamo, enrolled.user().get("email")).get(0);
        for (String gone : new String[] { "totpSecret", "totpPendingSecret", "totpLastStep", "recoveryCodes" }) {
            assertFalse(item.containsKey(gone), gone + " removed");
        }
        Api.login(enrolled.user().get("email"), enrolled.user().get("password")).then().statusCode(200)
                .body("accessToken", notNullValue());
        Api.getSignedIn("/me", enrolled.accessToken()).then().statusCode(200).body("mfa.totp", equalTo(false));
    }
}
