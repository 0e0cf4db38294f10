package com.example.shop.auth.testing;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Direct reads of the users table, to check what a request left behind. */
public final class Table {

    public static final String NAME = "ecommerce-users";

    private Table() {
    }

    public static List<Map<String, AttributeValue>> items(DynamoDbClient dynamo) {
        return dynamo.scanPaginator(b -> b.tableName(NAME).consistentRead(true)).items().stream().toList();
    }

    public static List<Map<String, AttributeValue>> usersWithEmail(DynamoDbClient dynamo, String normalisedEmail) {
        return items(dynamo).stream()
                .filter(item -> item.containsKey("email") && normalisedEmail.equals(item.get("email").s()))
                .toList();
    }

    public static Optional<Map<String, AttributeValue>> item(DynamoDbClient dynamo, String userId) {
        var response = dynamo.getItem(b -> b.tableName(NAME).key(Map.of("userId", AttributeValue.fromS(userId)))
                .consistentRead(true));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
    }

    public static List<Map<String, AttributeValue>> itemsWithPrefix(DynamoDbClient dynamo, String prefix) {
        return items(dynamo).stream().filter(item -> item.get("userId").s().startsWith(prefix)).toList();
    }
}
