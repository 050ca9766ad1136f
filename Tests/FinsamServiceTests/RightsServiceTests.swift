import FinsamCore
import FinsamService
import Postgres
import Testing
import TestSupport

/// The service asks the rights table (FinsamCore's `Rights`) before a workflow step (issue 15): on the demo, a board
/// member cannot approve, a director cannot prepare, and the refusal names the role that is needed.
@Suite struct RightsServiceTests {
    @Test func aStepNeedsTheRoleTheTableNames() async throws {
        try await SessionAttackTests.withDemo { database, c in
            let disbursements = Disbursements(database)
            for (person, step, message) in [
                ("siv.berg", "approve", "siv.berg får inte attestera utbetalningar i norralv: det kräver en av rollerna förbundschef eller ordförande"),
                ("anna.dahl", "submit", "anna.dahl får inte skicka in utbetalningar i norralv: det kräver rollen ekonom"),
                ("siv.berg", "reject", "siv.berg får inte avslå utbetalningar i norralv: det kräver en av rollerna ekonom, förbundschef eller ordförande"),
            ] {
                let user = User.person(person)
                do {
                    switch step {
                    case "approve": _ = try await disbursements.approve([9], in: "norralv", by: user)
                    case "submit": _ = try await disbursements.submit([11], in: "norralv", by: user)
                    default: _ = try await disbursements.reject([11], in: "norralv", comment: "nej", by: user)
                    }
                    Issue.record("\(person) could \(step)")
                } catch let error as ServiceError {
                    #expect(error.kind == .forbidden)
                    #expect(error.code == "rights.role-missing")
                    #expect(error.arguments["useCase"] == "disbursement.\(step)")
                    #expect(error.message == message)
                }
            }
            let states = try await c.query("SELECT array_agg(state::text ORDER BY number) FROM disbursement WHERE federation_id = 1 AND number IN (9, 11)")
                .scalar([String].self)
            #expect(states == ["submitted", "draft"])
        }
    }
}
