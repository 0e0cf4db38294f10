package com.example.shop.auth.testing;

import static io.restassured.RestAssured.given;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

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
    /** Documentation ranges (RFC 5737, RFC 3849), one address per call of {@link #freshIp}. */
    private static final AtomicInteger NEXT_IP = new AtomicInteger((int) (System.nanoTime() & 0xffff));

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
        return send(method, path, query, headers, body, authorizer, "198.51.100.7");
    }

    /**
     * A JSON POST from {@code sourceIp}. Requests through {@link Api} all come from loopback (the mock event server
     * takes the connection's address), which the test profile exempts from the per-IP budgets; tests of those
     * budgets send events from addresses of their own ({@link #freshIp}), so suites never spend each other's.
     */
    public static Answer post(String path, Object body, String sourceIp) {
        return send("POST", path, "", Map.of("content-type", "application/json"), json(body), null, sourceIp);
    }

    /** An address no other test uses: IPv4 from 198.18.0.0/15 (benchmarking), or IPv6 from 2001:db8::/32. */
    public static String freshIp(boolean v6) {
        int n = NEXT_IP.incrementAndGet() & 0x1ffff;
        return v6 ? "2001:db8::" + Integer.toHexString(n) : "198." + (18 + (n >> 16)) + "." + ((n >> 8) & 0xff) + "."
                + (n & 0xff);
    }

    private static Answer send(String method, String path, String query, Map<String, String> headers, String body,
            Map<String, Object> authorizer, String sourceIp) {
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", method);
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", sourceIp);
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
