package com.example.shop.auth;

import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.jboss.logging.Logger;

import com.example.shop.auth.token.SigningKey;

import io.quarkus.runtime.StartupEvent;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.ses.SesClient;

/**
 * SnapStart (JVM deployments): before Lambda snapshots the initialised function, exercise the AWS clients so the
 * snapshot holds loaded, JIT-warmed classes and open HTTP machinery. It only reads: no user, token or secret is
 * created before the snapshot. Calls a function's role does not allow (signup cannot read) fail harmlessly after
 * having warmed the same code paths.
 */
@Singleton
public class SnapStartPriming implements Resource {

    private static final Logger LOG = Logger.getLogger(SnapStartPriming.class);
    /** A key no item can have: user ids are UUIDs, claims and tokens carry a prefix. */
    private static final String NO_SUCH_ITEM = "PRIMING";

    private final DynamoDbClient dynamo;
    private final SesClient ses;
    private final SigningKey signingKey;
    private final AuthConfig config;

    public SnapStartPriming(DynamoDbClient dynamo, SesClient ses, SigningKey signingKey, AuthConfig config) {
        this.dynamo = dynamo;
        this.ses = ses;
        this.signingKey = signingKey;
        this.config = config;
    }

    void register(@Observes StartupEvent startup) {
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime("DynamoDB", () -> dynamo.getItem(b -> b.tableName(config.usersTable())
                .key(Map.of("userId", AttributeValue.fromS(NO_SUCH_ITEM)))));
        prime("KMS public key", signingKey::jwks);
        prime("SES client", () -> ses.serviceClientConfiguration().region());
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to refresh: credentials and connections are re-established by the SDK on demand
    }

    private static void prime(String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.debugf("Priming %s ended with %s (expected where the role does not allow the call)", what,
                    e.getClass().getSimpleName());
        }
    }
}
