objectClass("Group") {
    create {
        scim {
            supportedAttributes "displayName", "externalId"
            supportedAttribute("members") {
                limitations {
                    maxPerRequest 100
                }
            }
        }
    }
    update {
        scim {
            patch {
                supportedAttributes "displayName", "externalId"
                supportedAttribute("members") {
                    limitations {
                        operations ADD, REMOVE
                        maxPerRequest 100
                    }
                }
            }
        }
    }
}
