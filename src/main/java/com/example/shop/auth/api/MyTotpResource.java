package com.example.shop.auth.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.ResponseHeader;
import org.jboss.resteasy.reactive.ResponseStatus;

import com.example.shop.auth.account.TotpService;
import com.example.shop.auth.api.ApiModels.TotpEnrolment;
import com.example.shop.auth.api.ApiModels.TotpEnrolmentRequest;
import com.example.shop.auth.api.ApiModels.TotpRemoval;

/**
 * The signed-in user's TOTP authenticator: enrol (a pending secret, shown once) and turn it off. Each path has a class
 * of its own because Quarkus REST answers OPTIONS with the methods of the whole class.
 */
@Path("/me/mfa/totp")
@SignedIn
public class MyTotpResource {

    private final TotpService totp;
    private final CurrentSession current;

    public MyTotpResource(TotpService totp, CurrentSession current) {
        this.totp = totp;
        this.current = current;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public TotpEnrolment enrol(TotpEnrolmentRequest request) {
        RequestBodies.require(request);
        RequestBodies.requireFields("password", request.password());
        var enrolment = totp.enrol(current.userId(), request.password());
        return new TotpEnrolment(enrolment.secret(), enrolment.otpauthUri());
    }

    @DELETE
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(204)
    public void remove(TotpRemoval request) {
        RequestBodies.require(request);
        RequestBodies.requireFields("password", request.password());
        RequestBodies.requireCodeOrRecoveryCode(request.code(), request.recoveryCode());
        totp.remove(current.userId(), current.sessionId(), request.password(), request.code(),
                request.recoveryCode());
    }
}
