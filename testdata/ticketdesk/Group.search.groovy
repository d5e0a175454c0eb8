objectClass("Group") {
    search {
        endpoint("groups") {
            responseFormat JSON_ARRAY
            emptyFilterSupported true
        }
        custom {
            supportedFilter(attribute("name").eq().anySingleValue())
            implementation {
                def groups = objectClass("Group").search()
                for (def group : groups) {
                    if (group.name == filter.value) {
                        resultHandler.handle(group)
                    }
                }
            }
        }
        attributeResolver {
            attribute "members"
            resolutionType BATCH
            implementation {
                value.addAttribute("members", [])
            }
        }
    }
}
