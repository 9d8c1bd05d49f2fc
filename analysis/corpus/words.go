package corpus

import "strings"

var raidFR = []string{
	"T'es qu'une sale pute, tout le monde sait ce que tu as fait, dégage des réseaux",
	"On sait où tu habites, fais très attention à toi et à ta famille ce soir",
	"Crève connasse, personne ne te croit et personne ne te regrettera",
	"Ferme ta gueule une bonne fois pour toutes, espèce de grosse truie menteuse",
	"Je vais te retrouver et tu vas le regretter, sale menteuse de merde",
	"Retourne dans ta cuisine au lieu de pleurer sur internet pauvre conne",
	"Tu mérites tout ce qui t'arrive, salope, on va pas te lâcher",
	"Supprime ton compte ou on s'en charge, t'as compris pétasse",
	"Balance ton porc mon cul, t'es juste une mytho qui veut des likes",
	"Ton adresse tourne déjà sur le forum, bonne chance pour dormir cette nuit",
	"Féminazie hystérique, personne ne veut de toi ici, casse toi",
	"Regardez-moi cette grosse vache qui se plaint encore, quelle honte",
}

var raidEN = []string{
	"You are a lying whore and everyone knows it, get off the internet",
	"We know where you live, better watch your back tonight",
	"Kill yourself you worthless bitch, nobody will miss you",
	"Shut up you fat cow, nobody asked for your opinion",
	"Delete your account or we will make you regret it, slut",
	"Go back to the kitchen and stop crying online you stupid cunt",
	"Your address is already on the board, good luck sleeping tonight",
	"Nobody believes your fake story, attention seeking liar",
}

var raidOpen = []string{"Écoute bien", "Listen", "Franchement", "Honestly", "Dernier avertissement", "Last warning", "Sale traînée", "Stupid bitch"}
var raidMid = []string{"tu vas payer", "you will pay", "on te lâchera pas", "we won't stop", "personne ne te croit", "nobody believes you", "dégage d'ici", "get out of here"}
var raidEnd = []string{"et ta famille aussi", "and your family too", "sale menteuse", "you liar", "on arrive", "we are coming", "tic tac", "tick tock"}

var generic = []string{
	"ok merci", "Ok merci !", "merci", "d'accord", "oui", "non", "ok", "Ok", "lol", "mdr", "Merci beaucoup",
	"ok thanks", "thanks!", "Thank you", "yes", "no", "see you", "à demain", "bisous", "bonne nuit", "good night",
	"ça marche", "sounds good", "haha", "top merci", "super", "cool", "Je t'appelle", "call me",
}

var hashtags = []string{"#JO2024", "#PSGOM", "#Eurovision", "#GameOfThrones", "#GiletsJaunes", "#Euro2024", "#BlackFriday"}

var emoji = []string{"😂", "🤡", "🖕", "💀", "🐷", "🔪", "😡", "🤮", "🐄", "👀"}
var victims = []string{"victime", "Camille_D", "camille.dupont", "CamDupont", "the_victim"}
var fillers = []string{"franchement", "wesh", "lol", "mdr", "bref", "srsly", "ptdr", "frr", "honestly"}

var leetMap = map[rune]string{'a': "4", 'e': "3", 'o': "0", 'i': "1", 's': "5", 't': "7", 'A': "4", 'E': "3", 'O': "0"}
var homoglyphMap = map[rune]string{'a': "а", 'e': "е", 'o': "о", 'p': "р", 'c': "с", 'x': "х", 'y': "у", 'i': "і"}
var accentMap = map[rune]rune{'é': 'e', 'è': 'e', 'ê': 'e', 'à': 'a', 'â': 'a', 'ç': 'c', 'ô': 'o', 'î': 'i', 'ï': 'i', 'û': 'u', 'ù': 'u', 'É': 'E'}

var first = []string{"marie", "lucas", "emma", "hugo", "lea", "jules", "chloe", "louis", "john", "sarah", "mike", "anna"}
var last = []string{"martin", "bernard", "dubois", "thomas", "robert", "smith", "jones", "brown", "petit", "durand"}

// vocabFR and vocabEN are everyday words, most frequent first.
var vocabFR = strings.Fields(`je tu il elle on nous vous ils de la le les et à un une des du en est pas que qui ce
ne pour dans sur avec au mais plus ou bien fait tout comme faire va suis as ai moi toi oui non alors demain ce soir
matin midi ici là chez maman papa travail bureau gare train bus voiture maison appart courses pain lait fromage
repas dîner déjeuner film série match foot week-end vacances plage montagne école cours prof examen devoir rapport
réunion client projet dossier mail message téléphone appelle rappelle attends viens pars arrive passe prends donne
achète oublie pense sais veux peux dois vois dis trouve mange bois dors rentre sors cherche garde laisse porte
retard tôt tard bientôt toujours jamais encore déjà vite doucement beaucoup trop peu assez vraiment super génial
cool grave trop bon mauvais chaud froid pluie soleil neige beau temps anniversaire cadeau fête soirée resto café
bière apéro clés sac téléphone chargeur ordi photo vidéo lien musique concert billet place réservation docteur
pharmacie rendez-vous heure minute semaine mois année lundi mardi mercredi jeudi vendredi samedi dimanche
chien chat enfants bébé frère sœur cousin copain copine voisin collègue patron`)

var vocabEN = strings.Fields(`i you he she we they it the a an and to of in on at for with is are was be have has
do did not but or so if that this what when where who how can will would could should just now today tonight
tomorrow morning evening later soon yesterday home work office school station train bus car house flat shop
groceries bread milk cheese dinner lunch breakfast movie show game match weekend holiday beach trip class teacher
exam homework report meeting client project file email message phone call text wait come go leave arrive pass
take give buy forget think know want need see say find eat drink sleep back out look keep bring late early
always never still already fast slowly lots too little enough really great awesome nice good bad hot cold rain
sun snow weather birthday gift party night restaurant coffee beer drinks keys bag charger laptop photo video link
music concert ticket seat booking doctor pharmacy appointment hour minute week month year monday tuesday wednesday
thursday friday saturday sunday dog cat kids baby brother sister cousin friend mate neighbour colleague boss`)
