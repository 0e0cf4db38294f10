package com.example.shop.auth.admin;

import static com.example.shop.auth.admin.AdminEvents.asOperator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.LambdaEvents.Answer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Listing pages through every user once, with opaque cursors that cannot be edited. */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class AdminListTest {

    @Test
    void twoHundredFiftyUsersPagedByAHundredComeOnceEach() {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 250; i++) {
            String email = Api.uniqueEmail("listed");
            Api.signup(email, Api.newPassword(), "Listed " + i).then().statusCode(201);
            created.add(email);
        }

        List<String> seen = new ArrayList<>();
        List<String> cursors = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String query = "limit=100" + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            Answer page = asOperator("GET", "/admin/users", query, null);
            assertEquals(200, page.status(), page.body());
            List<String> emails = page.json().getList("users.email");
            assertTrue(emails.size() <= 100);
            seen.addAll(emails);
            cursor = page.json().getString("nextCursor");
            if (cursor != null) {
                cursors.add(cursor);
            }
            pages++;
        } while (cursor != null && pages < 100);

        assertEquals(seen.size(), new HashSet<>(seen).size(), "no user twice");
        assertTrue(seen.containsAll(created), "every user once");
        assertTrue(pages >= 3, "250 users take at least three pages of 100");
        for (String c : cursors) {
            assertTrue(c.matches("[A-Za-z0-9_-]+"), "opaque, URL-safe: " + c);
            assertFalse(c.contains("@") || c.contains("listed"), "the cursor does not show an email");
        }

        String tampered = cursors.get(0).substring(0, cursors.get(0).length() - 2)
                + (cursors.get(0).endsWith("A") ? "BB" : "AA");
        assertEquals(400, asOperator("GET", "/admin/users", "limit=100&cursor=" + tampered, null).status());
        assertEquals(400, asOperator("GET", "/admin/users", "limit=100&cursor=not-ours", null).status());
    }
}
