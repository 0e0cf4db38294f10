package com.example.shop.auth.api;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

/**
 * Puts the request id (API Gateway's, else the Lambda invocation's) and the caller's IP on every log line of the
 * request.
 */
public class RequestContextFilter {

    public static final String REQUEST_ID = "requestId";
    public static final String SOURCE_IP = "sourceIp";

    @Inject
    Instance<APIGatewayV2HTTPEvent.RequestContext> gatewayContext;

    @Inject
    Instance<Context> lambdaContext;

    @ServerRequestFilter(preMatching = true)
    public void enter() {
        MDC.remove(REQUEST_ID);
        MDC.remove(SOURCE_IP);
        APIGatewayV2HTTPEvent.RequestContext gateway = gatewayContext.isResolvable() ? gatewayContext.get() : null;
        Context lambda = lambdaContext.isResolvable() ? lambdaContext.get() : null;
        String requestId = gateway != null && gateway.getRequestId() != null ? gateway.getRequestId()
                : lambda != null ? lambda.getAwsRequestId() : null;
        if (requestId != null) {
            MDC.put(REQUEST_ID, requestId);
        }
        if (gateway != null && gateway.getHttp() != null && gateway.getHttp().getSourceIp() != null) {
            MDC.put(SOURCE_IP, gateway.getHttp().getSourceIp());
        }
    }

    @ServerResponseFilter
    public void leave() {
        MDC.remove(REQUEST_ID);
        MDC.remove(SOURCE_IP);
    }
}
