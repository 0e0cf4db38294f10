package com.example.shop.auth.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.Api.Tokens;
import com.example.shop.auth.testing.Api;
import com.example.shop.auth.testing.MotoServer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** With no grace period, concurrent refreshes of one token can never fork the session into two live chains. */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
@TestProfile(RefreshRaceTest.NoGrace.class)
class RefreshRaceTest {

    public static class NoGrace implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("auth.session.refresh-grace", "PT0S");
        }
    }

    @Test
    void twentyConcurrentRefreshesOfOneTokenYieldExactlyOneNewToken() throws Exception {
        Tokens tokens = Api.signIn(Api.existingUser("race"));
        int racers = 20;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<Future<Response>> results = new ArrayList<>();
        try {
            for (int i = 0; i < racers; i++) {
                Callable<Response> refresh = () -> {
                    start.await();
                    return Api.refresh(tokens.refreshToken());
                };
                results.add(pool.submit(refresh));
            }
            start.countDown();
            List<Response> responses = new ArrayList<>();
            for (Future<Response> result : results) {
                responses.add(result.get());
            }
            List<Response> won = responses.stream().filter(r -> r.statusCode() == 200).toList();
            assertEquals(1, won.size(), "exactly one refresh succeeds");
            assertEquals(racers - 1, responses.stream().filter(r -> r.statusCode() == 401).count());

            Tokens winner = Tokens.of(won.get(0));
            int live = 0;
            for (String candidate : List.of(tokens.refreshToken(), winner.refreshToken())) {
                if (Api.refresh(candidate).statusCode() == 200) {
                    live++;
                }
            }
            assertTrue(live <= 1, "at most one live refresh token afterwards, found " + live);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void withoutGraceAnImmediateSecondUseEndsTheSession() {
        Tokens first = Api.signIn(Api.existingUser("nograce"));
        Tokens second = Tokens.of(Api.refresh(first.refreshToken()).then().statusCode(200).extract().response());
        Api.expectRefused(Api.refresh(first.refreshToken()));
        Api.expectRefused(Api.refresh(second.refreshToken()));
    }
}
