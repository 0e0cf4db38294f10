package com.example.shop.auth.store;

import java.util.HashMap;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * A condition expression with the values its placeholders stand for. Conditions combine with {@link #and}, and a
 * write gets {@code ExpressionAttributeValues} only when there are values: DynamoDB rejects an empty map.
 */
record Condition(String expression, Map<String, AttributeValue> values) {

    static Condition of(String expression) {
        return new Condition(expression, Map.of());
    }

    static Condition of(String expression, String placeholder, AttributeValue value) {
        return new Condition(expression, Map.of(placeholder, value));
    }

    Condition and(Condition other) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.putAll(other.values);
        return new Condition(expression + " AND " + other.expression, all);
    }

    /** This condition on an update whose expression uses {@code updateValues}. */
    Update.Builder applyTo(Update.Builder update, Map<String, AttributeValue> updateValues) {
        update.conditionExpression(expression);
        Map<String, AttributeValue> all = merged(updateValues);
        return all.isEmpty() ? update : update.expressionAttributeValues(all);
    }

    UpdateItemRequest.Builder applyTo(UpdateItemRequest.Builder update, Map<String, AttributeValue> updateValues) {
        update.conditionExpression(expression);
        Map<String, AttributeValue> all = merged(updateValues);
        return all.isEmpty() ? update : update.expressionAttributeValues(all);
    }

    Delete.Builder applyTo(Delete.Builder delete) {
        delete.conditionExpression(expression);
        return values.isEmpty() ? delete : delete.expressionAttributeValues(values);
    }

    private Map<String, AttributeValue> merged(Map<String, AttributeValue> updateValues) {
        Map<String, AttributeValue> all = new HashMap<>(updateValues);
        all.putAll(values);
        return all;
    }
}
