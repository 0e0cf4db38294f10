package com.example.shop.auth.api;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

/**
 * The caller's IP as API Gateway saw it ({@code requestContext.http.sourceIp} of the HTTP API's v2 event), for the
 * per-IP budgets. Never a header: {@code X-Forwarded-For} and the like are the caller's to write.
 */
@ApplicationScoped
public class SourceAddress {

    private final Instance<APIGatewayV2HTTPEvent.RequestContext> gatewayContext;

    public SourceAddress(Instance<APIGatewayV2HTTPEvent.RequestContext> gatewayContext) {
        this.gatewayContext = gatewayContext;
    }

    /** The current request's source IP; empty outside an API Gateway event. */
    public Optional<String> ip() {
        if (!gatewayContext.isResolvable()) {
            return Optional.empty();
        }
        APIGatewayV2HTTPEvent.RequestContext context = gatewayContext.get();
        return Optional.ofNullable(context == null || context.getHttp() == null ? null : context.getHttp().getSourceIp())
                .filter(ip -> !ip.isBlank());
    }
}
