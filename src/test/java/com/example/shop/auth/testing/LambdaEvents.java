package com.example.shop.auth.testing;

import static io.restassured.RestAssured.given;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.path.json.JsonPath;

/**
 * Requests as API Gateway hands them to the function: API Gateway v2 events, built here with exactly the headers,
 * body and request context a test gives, and sent verbatim to the mock event server's {@code /_lambda_} endpoint,
 * as Lambda would. For what an HTTP client would never send on its own (no Content-Type, an IAM caller).
 */
public final class LambdaEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LambdaEvents() {
    }

    /** The API Gateway v2 response: statusCode, headers, body. */
    public record Answer(int status, Map<String, Object> headers, String body) {
        public JsonPath json() {
            return new JsonPath(body);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                    .map(h -> String.valueOf(h.getValue())).findFirst().orElse(null);
        }
    }

    /** An event for {@code method path?query}; {@code authorizer} is the request context's, or null. */
    public static Answer send(String method, String path, String query, Map<String, String> headers, String body,
            Map<String, Object> authorizer) {
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", method);
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "198.51.100.7");
        http.put("userAgent", "lambda-events-test");
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", "123456789012");
        context.put("apiId", "a1b2c3d4e5");
        context.put("http", http);
        context.put("requestId", "test-" + System.nanoTime());
        context.put("routeKey", method + " " + path);
        context.put("stage", "$default");
        context.put("timeEpoch", System.currentTimeMillis());
        if (authorizer != null) {
            context.put("authorizer", authorizer);
        }
        Map<String, Object> allHeaders = new LinkedHashMap<>();
        allHeaders.put("accept", "application/json");
        allHeaders.put("host", "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com");
        allHeaders.putAll(headers);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", method + " " + path);
        event.put("rawPath", path);
        event.put("rawQueryString", query);
        event.put("headers", allHeaders);
        event.put("requestContext", context);
        event.put("isBase64Encoded", false);
        if (body != null) {
            event.put("body", body);
        }
        try {
            JsonPath response = given().body(JSON.writeValueAsString(event)).when().post("/_lambda_").then()
                    .extract().jsonPath();
            Map<String, Object> responseHeaders = response.getMap("headers");
            return new Answer(response.getInt("statusCode"), responseHeaders == null ? Map.of() : responseHeaders,
                    response.getString("body"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
