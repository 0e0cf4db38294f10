package com.example.shop.auth.token;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.Api.Tokens;
import com.example.shop.auth.testing.MotoServer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A token has one spelling. Padding, the standard base64 alphabet, a space or a changed unused bit used to verify
 * too, so a deny-list or a cache keyed on the token's string could be walked around.
 */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class TokenSpellingTest {

    @Test
    void otherSpellingsOfAnAccessTokenAreRefused() {
        Tokens tokens = Api.signIn(Api.existingUser("spelling"));
        String token = tokens.accessToken();
        Api.getSignedIn("/me", token).then().statusCode(200);
        String signature = token.substring(token.lastIndexOf('.') + 1);
        String head = token.substring(0, token.lastIndexOf('.') + 1);

        List<String> respellings = List.of(
                token + "=",
                head + signature + "==",
                token.replace('-', '+').replace('_', '/').equals(token) ? token + "/" : token.replace('-', '+').replace('_', '/'),
                head + signature.substring(0, 10) + " " + signature.substring(10),
                head + flipUnusedBit(signature));
        for (String other : respellings) {
            Api.expectUnauthorized(Api.getSignedIn("/me", other));
        }
        Api.getSignedIn("/me", token).then().statusCode(200);
    }

    @Test
    void otherSpellingsOfARefreshTokenAreRefused() {
        Tokens tokens = Api.signIn(Api.existingUser("refresh-spelling"));
        String secret = tokens.refreshToken().substring(tokens.refreshToken().lastIndexOf('.') + 1);
        String head = tokens.refreshToken().substring(0, tokens.refreshToken().lastIndexOf('.') + 1);
        for (String other : List.of(head + secret + "=", head + flipUnusedBit(secret))) {
            Api.expectRefused(Api.refresh(other));
        }
        Api.refresh(tokens.refreshToken()).then().statusCode(200);
    }

    /** The same bytes, spelled with a different last character: its unused low bits set. */
    private static String flipUnusedBit(String base64url) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = base64url.charAt(base64url.length() - 1);
        int unusedBits = switch (base64url.length() % 4) {
            case 2 -> 4;
            case 3 -> 2;
            default -> 0;
        };
        if (unusedBits == 0) {
            return base64url + "A"; // no unused bits: an extra character instead
        }
        int index = alphabet.indexOf(last) | 1;
        return base64url.substring(0, base64url.length() - 1) + alphabet.charAt(index);
    }

}
