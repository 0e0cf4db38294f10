package com.example.shop.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.FaultProxy;
import com.example.shop.auth.testing.Table;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class SnapStartPrimingTest {

    @Inject
    SnapStartPriming priming;

    @Inject
    DynamoDbClient dynamo;

    @Test
    void primingBeforeTheSnapshotWritesNothingAndSurvivesAnOutage() {
        int items = Table.items(dynamo).size();
        priming.beforeCheckpoint(null);
        assertEquals(items, Table.items(dynamo).size(), "priming only reads");

        MotoServer.PROXIES.values().forEach(p -> p.setMode(FaultProxy.Mode.REFUSE));
        try {
            assertDoesNotThrow(() -> priming.beforeCheckpoint(null), "an outage must not fail the function's init");
        } finally {
            MotoServer.PROXIES.values().forEach(p -> p.setMode(FaultProxy.Mode.PASS));
        }
    }
}
