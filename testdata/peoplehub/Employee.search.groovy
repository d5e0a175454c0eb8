// Employees come from SCIM discovery; this only adds the manager lookup.
objectClass("employee") {
    search {
        scim {
            enabled true
            limitations {
                emptyFilterSupported true
                attribute "userName"
            }
        }
        attributeResolver {
            attribute "manager"
            resolutionType PER_OBJECT
            implementation {
                var managers = objectClass("Employee").search()
                for (var m : managers) {
                    value.addAttribute("manager", m)
                }
            }
        }
    }
}
