"""A BgMax file written field by field after Bankgirot's layout (the same layout as Tests/TestSupport/BgMaxTestFile.swift,
written again here so that the browser test does not depend on the code it tests)."""


def bgmax(bankgiro, date, serial, payments, written_at="20261201060000000000"):
    """payments: (reference, öre) pairs, each a payment with an OCR reference (code 2) to the federation's bankgiro."""
    def pad(text, width):
        return text + " " * max(0, width - len(text))

    def zeros(digits, width):
        return "0" * max(0, width - len(digits)) + digits

    lines = ["01" + pad("BGMAX", 20) + "01" + written_at + "P", "05" + zeros(bankgiro, 10) + zeros("", 10) + "SEK"]
    total = 0
    for index, (reference, ore) in enumerate(payments, start=1):
        tail = "2" + "1" + zeros(str(index), 12) + "0"
        lines.append("20" + zeros("", 10) + pad(reference, 25) + zeros(str(ore), 18) + tail)
        total += ore
    lines.append("15" + pad("", 35) + date + zeros(str(serial), 5) + zeros(str(total), 18) + "SEK" + zeros(str(len(payments)), 8))
    lines.append("70" + zeros(str(len(payments)), 8) + zeros("0", 8) + zeros("0", 8) + zeros("1", 8))
    return ("\r\n".join(lines) + "\r\n").encode("latin-1")
