package com.example.shop.auth.testing;

import static io.restassured.RestAssured.given;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.path.json.JsonPath;

/**
 * Requests as API Gateway hands them to the function, from a source IP of the test's choosing: API Gateway v2 events
 * posted verbatim to the mock event server's {@code /_lambda_} endpoint. Requests through {@link Api} all come from
 * loopback (the mock event server takes the connection's address), which the test profile exempts from the per-IP
 * budgets; tests of those budgets send events from addresses of their own, so suites never spend each other's.
 */
public final class GatewayEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Documentation ranges (RFC 5737, RFC 3849), one address per call of {@link #freshIp}. */
    private static final AtomicInteger NEXT = new AtomicInteger((int) (System.nanoTime() & 0xffff));

    private GatewayEvents() {
    }

    /** The API Gateway v2 response: statusCode, headers, body. */
    public record Answer(int status, Map<String, Object> headers, String body) {

        public JsonPath json() {
            return new JsonPath(body);
        }

        public String header(String name) {
            for (var entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    return String.valueOf(entry.getValue());
                }
            }
            return null;
        }
    }

    /** An address no other test uses: IPv4 from 198.18.0.0/15 (benchmarking), or IPv6 from 2001:db8::/32. */
    public static String freshIp(boolean v6) {
        int n = NEXT.incrementAndGet() & 0x1ffff;
        return v6 ? "2001:db8::" + Integer.toHexString(n) : "198." + (18 + (n >> 16)) + "." + ((n >> 8) & 0xff) + "."
                + (n & 0xff);
    }

    /** A JSON POST from {@code sourceIp}. */
    public static Answer post(String path, Object body, String sourceIp) {
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", "POST");
        http.put("path", path);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", sourceIp);
        http.put("userAgent", "budget-test");
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", "123456789012");
        context.put("apiId", "a1b2c3d4e5");
        context.put("domainName", "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com");
        context.put("http", http);
        context.put("requestId", "budget-" + System.nanoTime());
        context.put("routeKey", "POST " + path);
        context.put("stage", "$default");
        context.put("timeEpoch", System.currentTimeMillis());
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("accept", "application/json");
        headers.put("content-type", "application/json");
        headers.put("host", "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com");
        headers.put("user-agent", "budget-test");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", "POST " + path);
        event.put("rawPath", path);
        event.put("rawQueryString", "");
        event.put("headers", headers);
        event.put("requestContext", context);
        event.put("isBase64Encoded", false);
        try {
            event.put("body", JSON.writeValueAsString(body));
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
