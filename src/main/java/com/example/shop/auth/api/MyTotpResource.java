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
import com.example.shop.auth.api.ApiModels.RecoveryCodeList;
import com.example.shop.auth.api.ApiModels.RecoveryCodesRequest;
import com.example.shop.auth.api.ApiModels.TotpConfirmRequest;
import com.example.shop.auth.api.ApiModels.TotpEnrolment;
import com.example.shop.auth.api.ApiModels.TotpEnrolmentRequest;
import com.example.shop.auth.api.ApiModels.TotpRemoval;

/** The signed-in user's TOTP second factor and recovery codes. */
@Path("/me/mfa")
@SignedIn
public class MyTotpResource {

    private final TotpService totp;
    private final CurrentSession current;

    public MyTotpResource(TotpService totp, CurrentSession current) {
        this.totp = totp;
        this.current = current;
    }

    @POST
    @Path("totp")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public TotpEnrolment enrol(TotpEnrolmentRequest request) {
        RequestBodies.require(request);
        RequestBodies.requireFields("password", request.password());
        var enrolment = totp.enrol(current.userId(), request.password());
        return new TotpEnrolment(enrolment.secret(), enrolment.otpauthUri());
    }

    @POST
    @Path("totp/confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public RecoveryCodeList confirm(TotpConfirmRequest request) {
        RequestBodies.require(request);
        RequestBodies.requireFields("code", request.code());
        return new RecoveryCodeList(totp.confirm(current.userId(), current.sessionId(), request.code()));
    }

    @DELETE
    @Path("totp")
    @Consumes(MediaType.APPLICATION_JSON)
    @ResponseStatus(204)
    public void remove(TotpRemoval request) {
        RequestBodies.require(request);
        RequestBodies.requireFields("password", request.password());
        LoginResource.requireOneOf(request.code(), request.recoveryCode());
        totp.remove(current.userId(), current.sessionId(), request.password(), request.code(),
                request.recoveryCode());
    }

    @POST
    @Path("recovery-codes")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @ResponseHeader(name = "Cache-Control", value = "no-store")
    public RecoveryCodeList regenerateRecoveryCodes(RecoveryCodesRequest request) {
        RequestBodies.require(request);
        RequestBodies.requireFields("password", request.password(), "code", request.code());
        return new RecoveryCodeList(totp.regenerateRecoveryCodes(current.userId(), request.password(),
                request.code()));
    }
}
