package bench;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@Path("/item")
public class ItemResource {

    private final DynamoDbClient dynamo;
    private final String table;

    public ItemResource(DynamoDbClient dynamo, @ConfigProperty(name = "baseline.table") String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String item() {
        var item = dynamo.getItem(b -> b.tableName(table).key(Map.of("userId", AttributeValue.fromS("baseline")))).item();
        return item.isEmpty() ? "none" : "found";
    }
}
