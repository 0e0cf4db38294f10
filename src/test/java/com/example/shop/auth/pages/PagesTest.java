package com.example.shop.auth.pages;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Mailbox;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The pages the reset and verification emails open, as a browser gets them through the Lambda HTTP path. */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class PagesTest {

    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static final Pattern TAG = Pattern.compile("<(script|link|style)\\b([^>]*)>", Pattern.CASE_INSENSITIVE);

    @ParameterizedTest
    @CsvSource({
        "/reset-password, text/html",
        "/reset-password?token=abc, text/html",
        "/verify-email, text/html",
        "/verify-email?token=abc, text/html",
        "/confirm-email-change, text/html",
        "/confirm-email-change?token=abc, text/html",
        "/passkeys, text/html",
        "/pages/pages.js, text/javascript",
        "/pages/passkeys.js, text/javascript",
        "/pages/pages.css, text/css",
    })
    void everyPageAndAssetAnswersWithItsTypeAndStrictSecurityHeaders(String path, String type) {
        Response response = given().urlEncodingEnabled(false).when().get(path).andReturn();
        assertEquals(200, response.statusCode(), path);
        assertEquals(type + "; charset=utf-8", response.contentType().toLowerCase(), path);
        assertEquals(CSP, response.header("Content-Security-Policy"), path);
        assertEquals("no-referrer", response.header("Referrer-Policy"), path);
        assertEquals("no-store", response.header("Cache-Control"), path);
        assertEquals("nosniff", response.header("X-Content-Type-Options"), path);
        assertEquals("DENY", response.header("X-Frame-Options"), path);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/reset-password", "/verify-email", "/confirm-email-change", "/passkeys" })
    void pagesHoldNoInlineScriptOrStyleAndLoadOnlyTheirOwnAssets(String path) {
        String html = given().when().get(path).then().statusCode(200).extract().asString();
        assertTrue(html.startsWith("<!doctype html>\n<html lang=\"en\">"), "doctype and language");
        assertTrue(html.contains("<h1>"), "a heading");
        assertTrue(html.contains("aria-live=\"polite\""), "a live region for the outcome");
        assertFalse(Pattern.compile("\\sstyle\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "style attribute");
        assertFalse(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find(), "on* handler");
        assertFalse(html.toLowerCase().contains("javascript:"), "javascript: URL");
        Matcher tags = TAG.matcher(html);
        int assets = 0;
        while (tags.find()) {
            assertFalse(tags.group(1).equalsIgnoreCase("style"), "a <style> element");
            Matcher source = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(tags.group(2));
            assertTrue(source.find(), "every script and style sheet has a source: " + tags.group());
            String asset = source.group(1);
            assertTrue(asset.startsWith("/pages/"), "same-origin asset: " + asset);
            given().when().get(asset).then().statusCode(200);
            assets++;
        }
        assertEquals(2, assets, "one script and one style sheet");
        if (html.contains("<script")) {
            assertEquals(html.split("<script").length - 1, html.split("</script>").length - 1);
        }
    }

    @Test
    void theResetPageStatesThePasswordRules() {
        String html = given().when().get("/reset-password").then().statusCode(200).extract().asString();
        assertTrue(html.contains("at least 15 characters"), "the configured minimum length");
        assertTrue(html.contains("72 bytes"));
        assertTrue(html.contains("<label for=\"new-password\">"));
        assertTrue(html.contains("autocomplete=\"new-password\""));
    }

    @Test
    void thePasskeyPageLabelsEveryFieldAndLoadsItsOwnScript() {
        String html = given().when().get("/passkeys").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<script src=\"/pages/passkeys.js\" defer></script>"), "the passkey script");
        for (String field : List.of("email", "password", "second-factor", "nickname")) {
            assertTrue(html.contains("<label for=\"" + field + "\">"), "a label for " + field);
        }
        assertTrue(html.contains("autocomplete=\"current-password\""));
        assertTrue(html.contains("autocomplete=\"one-time-code\""));
        assertTrue(html.contains(">Sign in with a passkey</button>"));
    }

    @Test
    void openingTheLinkNeverConsumesTheToken() {
        var user = Api.existingUser("page");
        Api.requestReset(user.get("email")).then().statusCode(202);
        String token = Mailbox.latestResetToken(user.get("email"));

        for (int i = 0; i < 3; i++) { // a mail scanner, a preview, the user
            String html = given().queryParam("token", token).when().get("/reset-password")
                    .then().statusCode(200).extract().asString();
            assertFalse(html.contains(token), "the page never echoes the token");
        }
        String newPassword = Api.newPassword();
        Api.confirmReset(token, newPassword).then().statusCode(204);
        Api.login(user.get("email"), newPassword).then().statusCode(200);
    }

    @Test
    void openingTheEmailChangeLinkNeverConsumesTheToken() {
        var user = Api.existingUser("page-change");
        String newEmail = Api.uniqueEmail("page-change-new");
        Api.changeEmail(Api.signIn(user).accessToken(), newEmail, user.get("password")).then().statusCode(202);
        String token = Mailbox.latestEmailChangeToken(newEmail);

        for (int i = 0; i < 3; i++) { // a mail scanner, a preview, the user
            String html = given().queryParam("token", token).when().get("/confirm-email-change")
                    .then().statusCode(200).extract().asString();
            assertFalse(html.contains(token), "the page never echoes the token");
            assertTrue(html.contains("<button type=\"submit\">"), "the user confirms with a button");
        }
        Api.login(user.get("email"), user.get("password")).then().statusCode(200);
        Api.confirmEmailChange(token).then().statusCode(204);
        Api.login(newEmail, user.get("password")).then().statusCode(200);
    }

    @Test
    void otherMethodsOnPagesAre405WithAllow() {
        for (String path : List.of("/reset-password", "/verify-email", "/confirm-email-change", "/passkeys",
                "/pages/pages.js", "/pages/passkeys.js")) {
            Response response = given().when().delete(path).andReturn();
            response.then().statusCode(405).contentType("application/problem+json");
            // the Lambda HTTP layer splits a comma-separated header into several values
            assertEquals(List.of("GET", "HEAD", "OPTIONS"), response.headers().getValues("Allow").stream()
                    .flatMap(v -> Arrays.stream(v.split(","))).map(String::trim).toList(), path);
        }
    }
}
