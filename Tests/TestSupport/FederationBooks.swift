/// A federation's books as a region's economy system exports them (issue 14), for the tests of the service and of the
/// CLI: members' contributions on one account each, an intervention as a cost account of class 4, administration on
/// accounts of its own, and the previous year's closing balances and results. Members: aneby (Aneby kommun), eksjo
/// (Eksjö kommun), region (Region Jönköpings län), fk (Försäkringskassan).
public enum FederationBooks {
    /// Half a year of a federation's books, in SIE 4 as a region's economy system writes it, with the previous year's
    /// closing balances and results.
    public static let halfYear = """
        #FLAGGA 0
        #PROGRAM "Regionens ekonomisystem" 1.0
        #FORMAT PC8
        #SIETYP 4
        #FNAMN "Samordningsförbundet Höglandet"
        #RAR 0 20260101 20261231
        #RAR -1 20250101 20251231
        #KONTO 1930 "Bank"
        #KONTO 2091 "Balanserat resultat"
        #KONTO 3511 "Medlemsbidrag Aneby kommun"
        #KONTO 3512 "Medlemsbidrag Eksjö kommun"
        #KONTO 3520 "Medlemsbidrag Region Jönköping"
        #KONTO 3530 "Medlemsbidrag Försäkringskassan"
        #KONTO 4611 "SE-Höglandet"
        #KONTO 5010 "Löner"
        #KONTO 6420 "Revision"
        #KONTO 6550 "Ekonomihantering"
        #KONTO 7010 "Styrelse"
        #IB 0 1930 2000000.00
        #IB 0 2091 -2000000.00
        #UB -1 1930 2000000.00
        #UB -1 2091 -2545000.00
        #RES -1 3511 -200000.00
        #RES -1 4611 700000.00
        #RES -1 6420 45000.00
        #UB 0 1930 2199549.00
        #UB 0 2091 -2000000.00
        #RES 0 3511 -250000.00
        #RES 0 3512 -250000.00
        #RES 0 3520 -250000.00
        #RES 0 3530 -250000.00
        #RES 0 4611 600000.00
        #RES 0 5010 100000.00
        #RES 0 6420 50451.00
        #RES 0 6550 30000.00
        #RES 0 7010 20000.00
        #VER A 1 20260115 "Medlemsbidrag första halvåret"
        {
        #TRANS 1930 {} 1000000.00
        #TRANS 3511 {} -250000.00
        #TRANS 3512 {} -250000.00
        #TRANS 3520 {} -250000.00
        #TRANS 3530 {} -250000.00
        }
        #VER A 2 20260210 "SE-Höglandet, första halvåret"
        {
        #TRANS 4611 {} 600000.00
        #TRANS 1930 {} -600000.00
        }
        #VER A 3 20260331 "Revision 2025"
        {
        #TRANS 6420 {} 50451.00
        #TRANS 1930 {} -50451.00
        }
        #VER A 4 20260430 "Ekonomitjänster"
        {
        #TRANS 6550 {} 30000.00
        #TRANS 1930 {} -30000.00
        }
        #VER A 5 20260515 "Styrelsearvoden"
        {
        #TRANS 7010 {} 20000.00
        #TRANS 1930 {} -20000.00
        }
        #VER A 6 20260610 "Löner"
        {
        #TRANS 5010 {} 100000.00
        #TRANS 1930 {} -100000.00
        }

        """

}
