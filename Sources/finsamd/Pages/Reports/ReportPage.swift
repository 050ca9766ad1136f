import FinsamService
import Foundation
import Hummingbird

/// One report as a page (`report.mustache`): a heading, the form of its parameters (GET, so the address can be kept
/// and shared), a link to the same report as CSV from the API, charts, tables and notes.
struct ReportPage {
    struct Field {
        var name: String
        var label: String
        var type = "text"
        var value: String
        var options: [(value: String, label: String)]? = nil
        var required = true
    }

    var heading: String
    var subtitle: String? = nil
    var fields: [Field] = []
    var csv: String? = nil
    var warning: String? = nil
    var charts: [(svg: String, caption: String)] = []
    var tables: [PageTable] = []
    var empty: String? = nil
    var footnote: String? = nil

    func response(_ pages: PageRenderer, context: FinsamRequestContext, federation: Federation, action: String) -> Response {
        var values = PageErrors.layout(title: heading, context: context)
        values.merge([
            "federation": federation.code, "federationName": federation.name, "heading": heading, "formAction": action,
            "hasFields": !fields.isEmpty,
            "fields": fields.map { field -> [String: Any] in
                var values: [String: Any] = [
                    "fieldName": field.name, "fieldLabel": field.label, "fieldType": field.type, "fieldValue": field.value,
                    "fieldRequired": field.required, "fieldIsSelect": field.options != nil,
                ]
                if let options = field.options {
                    values["fieldOptions"] = options.map {
                        ["optionValue": $0.value, "optionLabel": $0.label, "optionSelected": $0.value == field.value] as [String: Any]
                    }
                }
                return values
            },
            "charts": charts.map { ["chart": $0.svg, "chartCaption": $0.caption] },
            "tables": tables.map(\.values),
        ]) { $1 }
        if let subtitle { values["subtitle"] = subtitle }
        if let csv { values["csv"] = csv }
        if let warning { values["warning"] = warning }
        if let empty { values["empty"] = empty }
        if let footnote { values["footnote"] = footnote }
        return pages.page("report", values)
    }
}
