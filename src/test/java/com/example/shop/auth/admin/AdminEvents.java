package com.example.shop.auth.admin;

import static io.restassured.RestAssured.given;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.path.json.JsonPath;

/**
 * Admin requests as API Gateway hands them to the function: API Gateway v2 events, with the IAM caller API Gateway
 * sets after verifying a SigV4 signature ({@code requestContext.authorizer.iam}), or without one. Sent verbatim to
 * the mock event server's {@code /_lambda_} endpoint, as Lambda would.
 */
final class AdminEvents {

    static final String OPERATOR = "arn:aws:iam::123456789012:user/support-ada";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminEvents() {
    }

    /** The API Gateway v2 response: statusCode, headers, body. */
    record Answer(int status, Map<String, Object> headers, String body) {
        JsonPath json() {
            return new JsonPath(body);
        }
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

    @SuppressWarnings("unchecked")
    static Answer send(String method, String path, String query, Object body, String callerArn) {
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", method);
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "198.51.100.7");
        http.put("userAgent", "aws-cli/2 admin-test");
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", "123456789012");
        context.put("apiId", "a1b2c3d4e5");
        context.put("http", http);
        context.put("requestId", "admin-" + System.nanoTime());
        context.put("routeKey", "ANY /admin/{proxy+}");
        context.put("stage", "$default");
        context.put("timeEpoch", System.currentTimeMillis());
        if (callerArn != null) {
            context.put("authorizer", Map.of("iam", Map.of(
                    "accessKey", "AKIAIOSFODNN7EXAMPLE",
                    "accountId", "123456789012",
                    "callerId", "AIDAJQABLZS4A3QDU576Q",
                    "principalOrgId", "o-example",
                    "userArn", callerArn,
                    "userId", "AIDAJQABLZS4A3QDU576Q")));
        }
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("accept", "application/json");
        headers.put("host", "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", "ANY /admin/{proxy+}");
        event.put("rawPath", path);
        event.put("rawQueryString", query);
        event.put("headers", headers);
        event.put("requestContext", context);
        event.put("isBase64Encoded", false);
        try {
            if (body != null) {
                headers.put("content-type", "application/json");
                event.put("body", body instanceof String s ? s : JSON.writeValueAsString(body));
            }
            JsonPath response = given().body(JSON.writeValueAsString(event)).when().post("/_lambda_").then()
                    .extract().jsonPath();
            Map<String, Object> responseHeaders = response.getMap("headers");
            return new Answer(response.getInt("statusCode"), responseHeaders == null ? Map.of() : responseHeaders,
                    response.getString("body"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
