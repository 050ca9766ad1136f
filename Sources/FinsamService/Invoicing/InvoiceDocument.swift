public import FinsamCore

/// The printable invoice: one self-contained HTML page in Swedish with what a payer needs (who sends it, to
/// whom, what for, how much, the due date, the bankgiro and the OCR reference). Every text from the database is
/// escaped.
public enum InvoiceDocument {
    public struct Sender: Sendable {
        public var name: String
        public var orgnr: String
        public var bankgiro: String?

        public init(name: String, orgnr: String, bankgiro: String?) {
            self.name = name
            self.orgnr = orgnr
            self.bankgiro = bankgiro
        }
    }

    public struct Recipient: Sendable {
        public var name: String
        public var orgnr: String
        public var address: String?

        public init(name: String, orgnr: String, address: String?) {
            self.name = name
            self.orgnr = orgnr
            self.address = address
        }
    }

    public static func html(_ invoice: Invoice, from sender: Sender, to recipient: Recipient) -> String {
        let e = Markup.escaped
        let rows = invoice.lines.map { line in
            "<tr><td>\(e(line.description))</td><td class=\"n\">\(e(SwedishNumberFormat.kronor(line.amount)))</td></tr>"
        }.joined(separator: "\n")
        let bankgiro = sender.bankgiro.map { "<dt>Bankgiro</dt><dd>\(e($0))</dd>" } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="sv">
            <head>
            <meta charset="utf-8">
            <title>Faktura \(invoice.number) från \(e(sender.name))</title>
            <style>
            body { font-family: sans-serif; max-width: 46em; margin: 2em auto; color: #111; }
            h1 { font-size: 1.4em; margin-bottom: 0; }
            dl { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
            dt { font-weight: bold; }
            table { width: 100%; border-collapse: collapse; margin: 1.5em 0; }
            th, td { text-align: left; padding: .3em; border-bottom: 1px solid #ccc; }
            .n { text-align: right; white-space: nowrap; }
            .pay { border: 2px solid #111; padding: 1em; }
            </style>
            </head>
            <body>
            <h1>Faktura \(invoice.number)</h1>
            <p>\(e(sender.name)), organisationsnummer \(e(sender.orgnr))</p>
            <h2>Till</h2>
            <p>\(e(recipient.name)), organisationsnummer \(e(recipient.orgnr))\(recipient.address.map { "<br>\(e($0))" } ?? "")</p>
            <dl>
            <dt>Fakturadatum</dt><dd>\(invoice.issueDate)</dd>
            <dt>Förfallodag</dt><dd>\(invoice.dueDate)</dd>
            \(invoice.buyerReference.map { "<dt>Er referens</dt><dd>\(e($0))</dd>" } ?? "")
            </dl>
            <table>
            <thead><tr><th>Avser</th><th class="n">Belopp, kr</th></tr></thead>
            <tbody>
            \(rows)
            </tbody>
            <tfoot><tr><th>Att betala</th><th class="n">\(e(SwedishNumberFormat.kronor(invoice.total)))</th></tr></tfoot>
            </table>
            <p>Ingen moms: medlemsbidrag till samordningsförbund omfattas inte av mervärdesskatt.</p>
            <div class="pay">
            <dl>
            \(bankgiro)
            <dt>OCR-nummer</dt><dd>\(e(invoice.ocr))</dd>
            <dt>Belopp</dt><dd>\(e(SwedishNumberFormat.kronor(invoice.total))) kr</dd>
            <dt>Senast</dt><dd>\(invoice.dueDate)</dd>
            </dl>
            <p>Ange OCR-numret när du betalar, så att betalningen hittar fakturan.</p>
            </div>
            </body>
            </html>

            """
    }
}

extension Invoices {
    /// The printable invoice of `number` in `year`.
    public func html(number: Int, year: Int, in federation: String, by user: User) async throws -> String {
        try await database.read(user, .invoiceRead, in: federation) { c in
            let found = try await FederationStore.federation(c, federation)
            let invoice = try await InvoiceStore.invoice(c, number: number, year: year, federation: found)
            let settings = try await InvoiceSettingsStore.invoiceSettings(c, federationID: found.id)
            let member = try await MemberStore.member(c, invoice.member, federationID: found.id)
            return InvoiceDocument.html(
                invoice, from: .init(name: found.name, orgnr: found.orgnr, bankgiro: settings.bankgiro),
                to: .init(name: member.name, orgnr: member.orgnr, address: member.invoiceAddress))
        }
    }
}
