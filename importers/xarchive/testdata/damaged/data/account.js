window.YTD.account.part0 = [
  {
    "account" : {
      "username" : "victime_fr",
      "accountId" : "1122334455",
      "accountDisplayName" : "Camille"
    }
  }
]