package com.example.peoplehub

// Employees are SCIM users with the enterprise extension.
objectClass("Employee") {
    description "A person employed by the company"
    scim {
        name "User"
        schemaUri "urn:ietf:params:scim:schemas:core:2.0:User"
        extension("enterprise", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
    }

    attribute("id") {
        readable true
        creatable false
        updatable false
        scim { name "id" }
    }
    attribute("userName") {
        required true
        scim { name "userName" }
    }
    attribute("givenName") {
        scim {
            path attribute("name").child("givenName")
        }
    }
    attribute("familyName") {
        scim {
            path attribute("name").child("familyName")
        }
    }
    attribute("workEmail") {
        scim {
            path attribute("emails").valueFilter("type", "work").child("value")
        }
    }
    attribute("employeeNumber") {
        scim {
            path extension("enterprise").child("employeeNumber")
        }
        updateable false
    }
    attribute("active") {
        scim { type "boolean" }
    }
    attribute("manager") {
        objectClass "Employee"
        role SUBJECT
        subtype "EmployeeManager"
        connId {
            readable false
        }
    }
    attribute("principal") {
        complexType "Principal"
        readable true
    }
}
