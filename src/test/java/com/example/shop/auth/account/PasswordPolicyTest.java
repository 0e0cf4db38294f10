package com.example.shop.auth.account;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Table;
import com.example.shop.auth.testing.TestSecrets;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class PasswordPolicyTest {

    @Inject
    DynamoDbClient dynamo;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "too short (14 characters)  | short-passw0rd      | at least 15 characters",
            "common, in any case        | PasswordPassword    | too common",
            "common, from the list      | 1qaz2wsx3edc4rfv    | too common",
            "over 72 bytes in UTF-8     | ééééééééééééééééééééééééééééééééééééééé | at most 72 bytes",
    })
    void weakPasswordsAreRefusedWithAFieldError(String why, String password, String message) {
        String email = Api.uniqueEmail("weak");
        Api.signup(email, TestSecrets.remember(password), "Weak").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors", hasSize(1))
                .body("errors[0].field", equalTo("password"))
                .body("errors[0].message", containsString(message));
        assertTrue(Table.usersWithEmail(dynamo, email).isEmpty());
    }

    @Test
    void aPasswordContainingTheEmailIsRefused() {
        String email = Api.uniqueEmail("mine");
        Api.signup(email, TestSecrets.remember("My " + email.toUpperCase() + " pass"), "Mine").then().statusCode(400)
                .body("errors[0].field", equalTo("password"))
                .body("errors[0].message", containsString("email"));
    }

    @Test
    void lengthCountsCodePointsAndSeventyTwoBytesStillFit() {
        String fifteenEmoji = "🔐".repeat(15); // 15 code points, 60 bytes
        assertTrue(fifteenEmoji.getBytes(StandardCharsets.UTF_8).length == 60);
        String email = Api.uniqueEmail("emoji");
        Api.signup(email, TestSecrets.remember(fifteenEmoji), "Emoji").then().statusCode(201);
        Api.login(email, fifteenEmoji).then().statusCode(200);

        String seventyTwoBytes = "x".repeat(72);
        String other = Api.uniqueEmail("long");
        Api.signup(other, TestSecrets.remember(seventyTwoBytes), "Long").then().statusCode(201);
        Api.login(other, seventyTwoBytes).then().statusCode(200);
        Api.login(other, seventyTwoBytes + "y").then().statusCode(401); // never truncated into a match
    }

    @Test
    void passwordsThatAreTheSameUnderNfkcLogIn() {
        String composed = TestSecrets.remember("ﬁle cabinet Ⅻ cafe\u0301 ２０２６"); // ligature, roman numeral, full-width
        String plain = TestSecrets.remember("file cabinet XII café 2026");
        String email = Api.uniqueEmail("nfkc");
        Api.signup(email, composed, "Unicode").then().statusCode(201);
        Api.login(email, plain).then().statusCode(200);
        Api.login(email, composed).then().statusCode(200);
    }
}
