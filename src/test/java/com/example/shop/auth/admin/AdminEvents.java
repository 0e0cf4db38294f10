package com.example.shop.auth.admin;

import java.util.Map;

import com.example.shop.auth.testing.LambdaEvents;
import com.example.shop.auth.testing.LambdaEvents.Answer;

/**
 * Admin requests as API Gateway hands them to the function: with the IAM caller API Gateway sets after verifying
 * a SigV4 signature ({@code requestContext.authorizer.iam}), or without one.
 */
final class AdminEvents {

    static final String OPERATOR = "arn:aws:iam::123456789012:user/support-ada";

    private AdminEvents() {
    }

    static Answer asOperator(String method, String path) {
        return send(method, path, "", null, OPERATOR);
    }

    static Answer asOperator(String method, String path, String query, Object body) {
        return send(method, path, query, body, OPERATOR);
    }

    static Answer withoutCaller(String method, String path, String query, Object body) {
        return send(method, path, query, body, null);
    }

    private static Answer send(String method, String path, String query, Object body, String callerArn) {
        Map<String, Object> authorizer = callerArn == null ? null : Map.of("iam", Map.of(
                "accessKey", "AKIAIOSFODNN7EXAMPLE",
                "accountId", "123456789012",
                "callerId", "AIDAJQABLZS4A3QDU576Q",
                "principalOrgId", "o-example",
                "userArn", callerArn,
                "userId", "AIDAJQABLZS4A3QDU576Q"));
        Map<String, String> headers = body == null ? Map.of() : Map.of("content-type", "application/json");
        return LambdaEvents.send(method, path, query, headers, body == null ? null : LambdaEvents.json(body), authorizer);
    }
}
