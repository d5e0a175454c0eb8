/*
 * TicketDesk agents and customers.
 */
import org.identityconnectors.framework.common.objects.ConnectorObjectReference

objectClass("User") {
    description "A TicketDesk account: agents and customers alike"

    attribute("id") {
        jsonType "integer"
        openApiFormat "int64"
        creatable false
        updateable false
        description "Account number, assigned by TicketDesk"
        connId {
            type String.class
        }
    }
    attribute("login") {
        jsonType "string"
        required true
        description "Sign-in name"
    }
    attribute("email") {
        json {
            type "string"
            openApiFormat "email"
        }
        required true
    }
    attribute("firstName") {
        json {
            name "first_name"
            type "string"
        }
    }
    attribute("lastName") {
        jsonType "string"
        protocolName "last_name"
    }
    attribute("status") {
        jsonType "string"
        description "active or locked"
    }
    attribute("admin") {
        jsonType "boolean"
    }
    attribute("language") {
        jsonType "string";
        returnedByDefault false;
    }
    attribute("createdAt") {
        jsonType "string"
        openApiFormat "date-time"
        creatable false
        updatable false
    }
    attribute("password") {
        jsonType "string"
        openApiFormat "password"
        readable false
    }
    attribute("phones") {
        jsonType "string"
        multiValued true
    }
    attribute("address") {
        complexType "Address"
    }
    attribute("selfLink") {
        jsonType "string"
        openApiFormat "uri"
        readable true
        creatable false
        updateable false
        json {
            path attribute("_links").child("self")
            implementation {
                deserialize {
                    return value.get("href")?.asText()
                }
                serialize {
                    return it
                }
            }
        }
    }
}
