package com.example.shop.auth;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/** The packages by capability stay a hierarchy: no cycles, and only the store knows how items are stored. */
class PackagesTest {

    private static final JavaClasses APPLICATION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.example.shop.auth");

    @Test
    void noPackageCycles() {
        slices().matching("com.example.shop.auth.(*)..").should().beFreeOfCycles().check(APPLICATION);
    }

    @Test
    void theApiNeverSeesTheStore() {
        noClasses().that().resideInAPackage("..auth.api..").should()
                .dependOnClassesThat().resideInAPackage("..auth.store..").check(APPLICATION);
    }

    /** Nothing outside the store holds the DynamoDB client (error mapping may read DynamoDB's exceptions). */
    @Test
    void onlyTheStoreTalksToDynamoDb() {
        noClasses().that().resideOutsideOfPackages("..auth.store..", "..auth.importing..").should()
                .dependOnClassesThat().resideInAPackage("software.amazon.awssdk.services.dynamodb")
                .check(APPLICATION);
    }
}
