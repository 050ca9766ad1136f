import Postgres
import TestSupport
import Testing

@Suite struct ListenNotifyTests {
    @Test func notificationsArriveInOrderOnTheirChannel() async throws {
        try await TestDatabase.withDatabase { configuration in
            let listener = try await PostgresListener.start(configuration)
            let statements = try await listener.notifications("statement_imported")
            let other = try await listener.notifications("other channel")
            let sender = try await Connection.connect(configuration)
            for i in 1...5 {
                try await sender.query("SELECT pg_notify($1, $2)", ["statement_imported", "file-\(i)"])
            }
            try await sender.query("SELECT pg_notify($1, $2)", ["other channel", "x"])
            // Notifications sent inside a transaction arrive only when it commits.
            try await sender.transaction { tx in try await tx.query("SELECT pg_notify('statement_imported', 'committed')") }

            var received: [String] = []
            for await notification in statements {
                #expect(notification.channel == "statement_imported")
                #expect(notification.senderPID == (await sender.backendPID))
                received.append(notification.payload)
                if received.count == 6 { break }
            }
            #expect(received == ["file-1", "file-2", "file-3", "file-4", "file-5", "committed"])
            var otherIterator = other.makeAsyncIterator()
            #expect(await otherIterator.next()?.payload == "x")
            listener.close()
            await sender.close()
        }
    }
}
