window.YTD.like.part0 = [
  {
    "like" : {
      "tweetId" : "1",
      "fullText" : "x",
      "expandedUrl" : "https://twitter.com/i/web/status/1"
    }
  }
]