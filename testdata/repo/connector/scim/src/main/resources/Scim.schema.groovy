// Loaded by the connector's Java class; the server's /Schemas adds the
// attributes and maps id to the UID of every SCIM class.
objectClass("User") {
    scim {
        extension("enterprise", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
    }
    attribute("primaryEmail") {
        scim {
            path attribute("emails").valueFilter("primary", true).child("value")
        }
    }
}

// A custom SCIM resource type of this server.
objectClass("Office") {
    connIdAttribute("NAME", "name")
}

relationship("OfficeEmployment") {
    subject("User") {
        attribute("office") {
            multiValued true
            resolver {
                resolutionType PER_OBJECT
                search {
                    attributeFilter("employees").eq(value)
                }
            }
        }
    }
    object("Office") {
        attribute("employees")
    }
}
