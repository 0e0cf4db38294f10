package com.example.shop.auth;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.jboss.logging.Logger;

import com.example.shop.auth.store.UserStore;
import com.example.shop.auth.token.SigningKey;

import io.quarkus.runtime.StartupEvent;
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
    // Providers, so that registering at startup creates no client: only a snapshot pays for priming.
    private final Provider<UserStore> store;
    private final Provider<SesClient> ses;
    private final Provider<SigningKey> signingKey;

    public SnapStartPriming(Provider<UserStore> store, Provider<SesClient> ses, Provider<SigningKey> signingKey) {
        this.store = store;
        this.ses = ses;
        this.signingKey = signingKey;
    }

    void register(@Observes StartupEvent startup) {
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime("DynamoDB", () -> store.get().warmUp());
        prime("KMS public key", () -> signingKey.get().jwks());
        prime("SES client", () -> ses.get().serviceClientConfiguration().region());
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
