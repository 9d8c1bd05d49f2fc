window.YTD.account.part0 = [
  {
    "account" : {
      "email" : "camille@example.org",
      "createdVia" : "web",
      "username" : "victime_fr",
      "accountId" : "1122334455",
      "createdAt" : "2012-03-01T10:00:00.000Z",
      "accountDisplayName" : "Camille V."
    }
  }
]