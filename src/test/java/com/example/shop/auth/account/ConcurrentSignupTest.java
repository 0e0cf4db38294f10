package com.example.shop.auth.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Table;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class ConcurrentSignupTest {

    private static final int SIGNUPS = 50;

    @Inject
    DynamoDbClient dynamo;

    @Test
    void ofFiftyRacingSignupsWithOneEmailExactlyOneWins() throws Exception {
        String email = Api.uniqueEmail("race");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(SIGNUPS);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < SIGNUPS; i++) {
                String password = Api.newPassword();
                statuses.add(pool.submit(() -> {
                    start.await();
                    return Api.signup(email, password, "Racer").statusCode();
                }));
            }
            start.countDown();
            int created = 0;
            int conflicts = 0;
            for (Future<Integer> status : statuses) {
                switch (status.get()) {
                    case 201 -> created++;
                    case 409 -> conflicts++;
                    default -> throw new AssertionError("unexpected status " + status.get());
                }
            }
            assertEquals(1, created);
            assertEquals(SIGNUPS - 1, conflicts);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, Table.usersWithEmail(dynamo, email).size(), "exactly one user item");
        assertEquals(1, Table.itemsWithPrefix(dynamo, "EMAIL#" + email).size(), "exactly one email claim");
    }
}
