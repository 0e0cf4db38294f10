package com.example.shop.auth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.example.shop.auth.testing.MotoServer;
import com.example.shop.auth.testing.Table;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The table the tests run against is created from template.yaml's UsersTable (tools/local_aws.py), so a
 * change there that breaks the table the store relies on (key, GSI, TTL attribute) fails here.
 */
@QuarkusTest
@QuarkusTestResource(MotoServer.class)
class TableFromTemplateTest {

    @Inject
    DynamoDbClient dynamo;

    @Test
    void theTableHasTheKeyIndexAndTtlTheCodeReliesOn() {
        var table = dynamo.describeTable(b -> b.tableName(Table.NAME)).table();
        assertEquals(List.of(KeySchemaElement.builder().attributeName("userId").keyType(KeyType.HASH).build()),
                table.keySchema());

        var emailIndex = table.globalSecondaryIndexes().stream()
                .filter(gsi -> gsi.indexName().equals("email-index")).findFirst()
                .orElseThrow(() -> new AssertionError("no email-index GSI"));
        assertEquals(List.of(KeySchemaElement.builder().attributeName("email").keyType(KeyType.HASH).build()),
                emailIndex.keySchema());
        assertEquals(ProjectionType.ALL, emailIndex.projection().projectionType());

        var ttl = dynamo.describeTimeToLive(b -> b.tableName(Table.NAME)).timeToLiveDescription();
        assertEquals("resetTokenExpiry", ttl.attributeName());
        assertEquals(TimeToLiveStatus.ENABLED, ttl.timeToLiveStatus());
    }
}
