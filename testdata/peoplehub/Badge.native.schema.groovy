import org.identityconnectors.framework.common.objects.ConnectorObjectReference

objectClass("Badge") {
    description """
        A door badge.
        Badges are printed once and never renamed.
    """
    attribute("id") {
        json {
            type "integer"
            openApiFormat "int64"
        }
        creatable false
        updatable false
        connId { type String.class }
    }
    attribute("serial") {
        jsonType "string"
        required true
        updatable false
    }
    attribute("holder") {
        objectClass "Employee"
        json {
            type "string"
            openApiFormat "uri-reference"
            path attribute("_links").child("holder").child("href")
            implementation {
                deserialize {
                    if (it == null) {
                        it = value
                    }
                    var href = it.asText()
                    return href.substring(href.lastIndexOf("/") + 1)
                }
                serialize {
                    return "/employees/" + it
                }
            }
        }
    }
    attribute("validUntil") {
        jsonType "string"
        openApiFormat "date"
    }
    attribute("zones") {
        jsonType "string"
        multiValued true
    }
}
