/**
 * Name lexicons for the PHI detector (phi-detector.ts): lower-case ASCII (diacritics folded,
 * ß → ss), space-separated. Compiled for RadLedger from common given names and surnames of the
 * regions a neuro-oncology trial enrols in: German, English, French, Spanish/Portuguese,
 * Italian, Dutch, Nordic, Polish/Czech, Turkish, Arabic, Indian, Chinese (pinyin), Japanese
 * (Hepburn) and Korean (revised romanisation, syllables joined). They are recognition aids,
 * not a census: a name missing here is still caught by the shape rules, and a name that is
 * also an everyday or imaging word is demoted by AMBIGUOUS_GIVEN_NAMES in the detector.
 */

/** 2176 given names. */
export const GIVEN_NAMES_TEXT = `
aada aadhya aaltje aarav aaron aarti abdallah abdelrahman abdul abdullah abdulrahman abhishek abigail adam
adel adela aditi aditya adrian adriana adrianus adrien advait agata agathe agnes agnieszka ahmad ahmed ahmet
aicha aidan ainhoa aino aisha aisling aitor ajay akari akash ake akiko akira aksel alain alan alba albert
alberto albin aldo alejandra alejandro aleksandra aleksi alena alessandra alessandro alessio alexander
alexandre alexis alfie alfons alfred ali alice alicia alicja alma alois alok alvaro amaia amanda amarjit amber
ambre amelia amelie amina amir amira amit amparo amr amy ana anais anand ananya anas anders andre andrea
andreas andres andrew andrzej aneta angel angela angeles angelika angelo anika anil anita anja anjali anke ann
anna anne anneke annemarie annette annika anouk anthony antje antoine anton antoni antonia antonietta antonio
antti anurag aoi aoife apolline araceli archana archie arda arianna arjen arjun arnar arnaud arnav arthur arun
arvid aryan asbjorn asha ashish ashley ashok asier asli asma astrid asuka atharv audrey aurelie aurelien
aurora austin ava avni axel ayaan ayaka aylin ayman ayse baekhyun balwinder baptiste barbara baris barry bart
bartlomiej bartosz bas basma bassam bastian batuhan beata beatrice beatriz ben benedetta benedikt bengt
benjamin benoit bente berk berkay berna bernard bernd bertrand bethany bettina betty beverly beyza bharat
bhavna bianca bilal billy bin bing birgit birgitta bjarni bjorn blanca bo bobby bozena bram brandon brenda
brendan brian brigitte britta brittany bruce bruno bryan burak burcu cagri caio callum camila camilla camille
can cansu caoimhe capucine carina carl carla carlo carlos carmela carmen carol carolin carolina caroline
carolyn catalina caterina catharina catherine cecilia cedric celine cem chaeyoung chantal chanyeol chao
charles charlie charlotta charlotte cheng cheryl chetan chiara chihiro chitra chloe christa christian
christiane christina christine christophe christopher chunhua chunyan cian ciara claire clara claudia claudio
clemence clement clive clodagh clovis colette colin concepcion concetta connor conor conrad consuelo corinna
corinne cormac cornelia cornelis cristiano cristina cynthia daan dahyun daiki daisuke daisy dalia damian
damien damla dandan daniel daniela daniele danielle danuta dario dariusz darragh david davide dawid deborah
debra declan deepa deepak defne delphine denis denise deniz dennis derek derya devendra dhruv diana diane
didem didier diego dieter dilek dina dinesh dirk divya diya dohyun dolores domenico dominik dominique donald
dong donghyun donna doris dorota dorothea dorothy douglas dries duncan durga duru dylan ebba ebru ece eda
edith edoardo eduardo edward eero efe egon eimear einar eirik ela eleanor elena eleonora elfi elfriede elias
elif elijah elin eline elisa elisabeth eliska elizabeth elke ella ellen elli ellie elodie eloise els elsa
elsie elzbieta emanuel emanuele emely emi emil emilia emilie emilio emily emine emir emma emmanuel emrah emre
encarnacion enes enrico enrique enzo eoin ercan eren eri eric erich erik erika erkan erlend erna ernesto ernst
ersin erwin esme esmee esperanza esra esteban estelle ethan etienne ettore eugen eugene eunji eunyoung eva
evan eve eveliina evelyn even evie ewa ewelina eylul ezgi fabian fabio fabrice fadi fahad faisal fang fangfang
fanny farah fares fatih fatima fatma fausto federica federico fei felipe felix femke feng fenna fergus
fernanda fernando fiadh filip filippo finja finley finn fiona flavio fleur floor florence florent florian
floris franca frances francesca francesco francisca francisco franciszek franck franco francois francoise
frank frantisek franz franziska frauke freddie frederic frederik fredrik freja freya frida frieda friederike
friedrich fritz furkan gabin gabriel gabriela gabriele gael gaetan gaia gamze ganesh gang ganga gareth gary
gaurav gavin geert geertje geeta geir genevieve geoffrey georg george georgia gerald gerard gerardo gerd
gerhard gerrit gert gertrud gesa ghada ghassan giancarlo gianluca gianni gijs gilberto gilles ginevra giorgia
giorgio giovanna giovanni girish gisela gita gitte giulia giuseppe giuseppina gizem gloria gokhan gonzalo
goran gorka gottfried grace graham grainne grazyna gregoire gregor gregory greta grete griet grietje grzegorz
guadalupe gudmundur gudrun guenter gui guido guilan guillaume guillermo guiying gulay gulsen gunnar gunter guo
guoqiang gurkan gurpreet gustav gustavo haakon hacer hadi haeun hai haitao haitham hakan hala halil halina
halvard hamid hamza hana hanako hanan hang hanife hanna hannah hanne hannelore hans hao haoran haoyu harald
hari harish harold haroun harper harpreet harry harsh hartmut haruka haruto hasan hassan hatice hauke havard
havva hayato heather heba hector hedwig heidi heike heikki heinrich heinz helen helena helene helga helgi
helmi helmut helmuth hemant hendrik hendrika hendrikus henk henning henri henrik henrike henrique henry henryk
herbert hermann herve hidde hideki hideo hilde hildegard hildur himari hina hinata hind hiroki hiroko hiroshi
hiroto hisham holger hollie holly hong hongwei honoka horacio horst hu hua huan hubert huda hugo hui huiying
hulya husein huseyin hussein hyejin hyunjoo hyunjun hyunwoo iain ian ibrahim ichiro ida idris ignacio igor
iida iker ilaria ilham ilker ilse imad iman imke imogen inas ines inge inger ingo ingrid ingvild inmaculada
insa irati irem irena irene iris irmgard isa isaac isabel isabell isabella isabelle isak isha ishaan ishita
isla ismael ismail issa itziar ivan ivana ivy iwona izabela jacek jack jacob jacoba jacobus jacopo jacqueline
jacques jade jadwiga jaehyun jagdish jaime jake jakob jakub jamal james jamil jamila jan jana janet janice
janina jannes jannik janosch janusz jari jarle jarmila jaroslav jaroslaw jasmijn jasmin jasmine jason jaspreet
javier jayant jean jeffrey jelle jennifer jens jeremy jeroen jerome jerry jerzy jesse jessica jesus jette jia
jiahao jian jianguo jianhua jianjun jianping jie jieun jiho jihoon jimena jimin jing jingjing jinwoo jiri jiro
jisoo jisung jitka jiwoo jiyeon jiyoon joachim joan joana joanna joao joaquim joaquin jochem joe joerg johan
johann johanna johannes john jolanta jon jonas jonathan jongin joonho joost jordan jorg jorge jorgen joris
joscha jose josef josefa joseph josephine joshua josiane jostein joyce jozef juan judith judy juergen juha
jukka jule jules julia julian juliana juliane julie julien juliette julio jun jungho jungmin junhao junichi
junjie junwoo jurgen jurre jussi justin justyna jutta jyoti kaan kaat kabir kacper kai kaito kamal kamala
kamil kana kang kaori karan kareem karel karen kari karim karima karin karl karla karlheinz karolina kasper
katarzyna katerina katharina katherine kathleen kathrin kathryn katrien katrin kavita kavya kayla kazimierz
kazuki kazuko kazuya kees keiko keisuke keith kelly kemal kenichi kenji kenneth kenta kenzo kerem kerstin
kevin khadija khaled khalid kilian killian kim kimberly kira kiran kirsten kjetil klaas klara klaus knut koen
koharu kohei koji komal konrad konstantin koray kosuke kota krishna kristin kristina kristjan krystyna
krzysztof kumar kumiko kun kunal kurt kyle kyungsoo ladislav laetitia lakshmi lalit lamberto lara larissa
larry lars lata latifa laura lauren laurence laurent lauri lawrence layla lea leandre leandro lei leif leila
leire lena lene lenka lennart leo leon leonard leonardo leone leonhard leonie leonor leszek leticia letizia
levent levi leyla lia liam liang lieke lies lieselotte lieve lieven liisa lili lilli lilly lily lin lina linda
lingling linnea linus lionel lisa liselotte liv logan loic lola lone long loredana lorena lorenza lorenzo lori
lothar lotte lou loubna louis louisa louise lu luana lubna lubomir luc luca lucas lucia luciano lucie lucile
lucy ludger ludmila ludovic ludovica ludvig ludwig luigi luis luisa luise lukas lukasz luke luuk lynn maarten
maciej madhu madison mads maelle maeva magdalena magnus mahesh mahmoud mahmut mai maike maisie maite maja
majid makoto malak malcolm malgorzata malia malte malthe mamta manal manfred manish manju manoj manon manpreet
manuel manuela marc marcel marcelo marcin marco marcos marcus marei mareike marek margaret margareta margarete
margarita margaux margherita margot maria mariam mariana mariangela marianna marianne marie marieke marilyn
mario marion marisol marit mariusz mark markku markus marlene marta martha martin martina martine marvin
marwan mary maryam marzena masaki masato mason massimo matej mateo mateusz mathias mathieu mathilde mathis
matias matilda matilde mats matteo matthew matthias matthijs matti mattia maud maurice mauricio maurizio
maxime maximilian mayank mayumi mazen mechthild meena mees megan megumi mehmet mei meike meili meiling melanie
melis melissa melker mercedes merel merle merlin mert merve meryem mette mia michael michaela michal michel
michele michelle michiko mickael mieczyslaw miguel miho mikel miki mikkel mikko mikyung mila milagros milan
milena millie min minato ming mingyu minho minji minjun minna minseo minseok minsu mio miriam mirjam mirko
miroslav miroslaw misaki mitsuki mohamed mohammad mohammed mohan mohannad moises molly mona monica monika
monique montserrat moritz morten mostafa mouna mounir muhammad mukesh murat mustafa mylene myra na nabil nader
nadia nadine naima najwa nan nanami nancy naoki naoko narendra naresh nasser natalia natalie nathalie nathan
natsuki navdeep naveen nawal nazli neele neeraj neha nehir neil nele nerea nestor niall niamh nicholas nico
nicola nicolas nicole nicolo nidhi niels nienke nigel nikhil niklas niko nils nina ning nisha nitin noah
noboru noel noelia noemi noemie noor nora norbert noriko norman nour nunzia nuray nuria nurten oceane octavio
oddvar odile oguz oisin ola olafur ole olga oliver olivia olivier oliwia olle olof om omar omer ondrej onni
onur orhan orla orlando osamu oscar oskar osman osvaldo otso ottavio ottmar otto owen ozan ozlem pablo padma
padraig paivi pallavi paloma pamela pankaj paola paolo pari parvati pascal pasqualina patricia patricio
patrick patrizia patryk paul paula paulina pauline paulo pavel pawel payal pedro pekka peng per perrine peter
petr petra petri petronella petrus philip philipp philippe phillip phoebe pia piero pierre piet pieter pietro
pihla pilar pinar ping piotr piyush pola pooja poonam poppy pradeep prakash pramod pranav prashant preeti
priya przemyslaw qiang qiaoling qing qiu quentin rachel rachele radek radha radoslaw rafael rafal raffaella
ragnar ragnheidur ragnhild rahma rahul rainer raj rajaa rajendra rajesh rajiv rakesh ralf ralph ramazan ramesh
rami ramiro ramon rana randi randy rani rania raphael raquel rasha rashid rashmi rasmus raul ravi rawan
raymond rebecca recep reem reggie regina regis reiko reinaldo reinhard rekha remedios remi ren renata renate
renato reyansh rhys riad ricardo riccardo richard rie rik riko riku rim rima rin rishabh rita ritu riya robert
roberta roberto robin rocco rocio rodrigo rogelio roger rohan rohit roisin rolf romain romane romy ronald
ronan rong ronja roos rory rosa rosalia rosario rose rosemarie rosie roy ruben ruchi rudi rudolf rui ruoxi
rupert russell ruth ruud ryan ryo ryohei ryota ryszard saad saanvi sabah sabine sabri saburo sacha sachiko
sachin saeed safa saga sahar sahil said saki sakura salem salih salim salma salvador salvatore samantha samar
sameer sami samir samira samuel sana sandeep sander sandra sandrine sandro sangeeta sangwoo sanjay sanjeev
sanna sanne santiago santina santosh saoirse sapna sara sarah sari sarita sascha saskia satish satoshi saurabh
savita sayaka scarlett scott seamus sean sebastian sebastien seda sedat seema sehun selim selin selina selma
sem sena seojun seoyeon seoyun serdar serena serge sergio serkan serpil seulgi seungho severine sevgi shaima
shan shane shankar shanti sharon shashi shaurya shilpa shinichi shinji shiori shirley shiv shiyu sho shohei
shota shreya shu shuang shun shunsuke shweta shyam sibel siddharth siebe siegfried sieglinde siegmund sienna
signe sigrid sigridur sigurd sigurdur siiri silje silke silvia silvio simge simon simona simone sinan sindre
sinead siobhan siyu sjoerd slawomir smilla smita sneha sofia sofie solene solveig sonal song songul sonia
sophia sophie sora soren sota souad soyeon stanislav stanislaw stanislawa stanley stefan stefania stefanie
stefano steffen steinar stella stepan stephan stephane stephanie stephen sterre steven stig stijn stina stuart
subin sudhir suha sujin suleiman suleyman sultan suman sumit sungmin sunhee sunil sunita suresh susan susana
susanne sushil sushila susumu suzy sven svenja swantje swati sylvain sylvie sylwia szymon tabea tadashi
tadeusz tadhg taehyun taiga takashi takeshi takumi tamer tamotsu tanja tanmay tanvi tanya tao tapio tarek
tarik tariq tarun tatiana tatsuya tayfun teddy teemu teodoro teresa tereza terje terry tess tetsuya teun thea
theo theodor theodorus theresa therese thiago thierry thijs thomas thora thorsten tiago tijn tilda till
tillmann tim timo timothee timothy ting tingting tjeerd tobias toby tolga tom tomas tomasz tommaso tommy
tomoko tomomi tomoya tone torbjorn torsten toshiro tove trevor tristan trond tsubasa tsumugi tuba tugba tuija
tuomas turgut turid tushar tuula tyler uday ugo ugur ulf ulises ulrich ulrike uma umar umberto umesh umut unai
ursula urszula usha ute uwe vaclav vaishali valentin valentina valeria valerie valerio vandana vanessa varun
vedant veerle veeti vegard veit venla vera veronica veronika veronique vibeke vicente victor victoria vihaan
vijay vikas vikram viktor vilgot ville vinay vincent vincenza vincenzo vinicius vinod vinzenz viola virat
virginia virginie vishal vitoria vittoria vittorio vivek vladimir vojtech volkan volker wael wafa waldemar
waleed walid walter waltraud wanda wanting wayne wei weiming weiwei wen wendelin wendy werner wessel widad
wiebke wieslaw wietse wiktor wiktoria wilhelm wilhelmina wilhelmus willem willi william willie willow willy
wilma wim wojciech wolfgang wout wouter xaver xavier xia xiang xiao xiaofang xiaohong xiaojing xiaoli xiaolin
xiaoming xiaowei xiaoyan xiaoyu ximena xin xiulan xiuying xu xue xueying yagmur yahya yamato yamini yan yang
yann yannick yannik yanyan yara yasemin yash yasin yasir yasmin yasmina yasmine yasser yasushi yeji yejun yi
yichen yigit yiming ying yingying yogesh yoichi yoko yolanda yong yoshiro younes youngmi youngsoo yousef
youssef yu yuan yuchen yuhang yui yuka yukari yuki yuko yulan yumei yumi yumiko yun yuna yunfei yusuf yusuke
yuta yuting yuto yutong yuxuan yuya yves yvette yvonne zachary zafer zahra zaid zainab zakaria zakariya zara
zaynab zbigniew zdenek zdenka zdzislaw zehra zeinab zeynep zhen zhi zhihao zhiming zhiqiang zhiwei zhong ziad
zihan zimo zixuan ziyi zoe zofia zuhal zuzanna
`;

/** 958 surnames (used to confirm a pair and for surnames of three letters or fewer: Li, Kim, Lee). */
export const SURNAMES_TEXT = `
abdullah abe acar adamczyk adams agarwal aggarwal aguilar ahmed ahn aksoy aktas albrecht alexander ali allen
almeida alonso alvarez alves amato an andersen anderson andersson andre andreassen aoki araujo arora arslan
aslan ates avci aydin aziz bae baek bai bailey baker bakker bakr banerjee baran barbier barbieri barbosa
barnes barone basile battaglia bauer baumann beck becker bellini benedetti benes bengtsson bennett berg berger
bernard bernardi bertrand bhatia bianchi bianco blaha blanc blanchard blanco blom boehm bohm bonnet bos bose
boyer bozkurt brandt braun brennan brooks brouwer brown brun brunet bruno bryant bulut butler byrne caballero
cabrera cai cakir calvo campbell campos can cano cao caputo carbone cardoso carrasco carter caruso carvalho
castillo castro cattaneo celik cermak cerny cetin cha chakraborty chang chatterjee chaudhry chen cheng
chevalier cho choi chopra christensen claes clark clement cole coleman colin collins colombo conte conti cook
cooper coppola cortes costa costantini cox cruz cui dabrowski dahl damico dangelo darwish das david davis
deangelis deboer debruijn debruin degraaf degroot dehaan dejong dekker delgado deluca demir deng denis derosa
desai desantis devries dewit dhillon diaz diez dijkstra ding doe dogan doherty dolezal dominguez donati dong
du duan dubois dudek dufour dumas dumont dupont duran durand dutta duval dvorak eder edwards ellis endo
erdogan eriksen eriksson esposito evans fabbri fan farina farouk faure feng fernandez ferrara ferrari ferraro
ferreira ferrer ferretti ferri fiala fiore fischer fisher flores fontaine fontana ford foster fournier
francois frank franke friedrich fu fuchs fuentes fujii fujita fujiwara fukuda gallego galli gallo gao garcia
garnier garrido gatti gauthier gautier gentile gerard ghosh gibson gil gill gimenez giordano girard giuliani
gomes gomez gonzalez goossens gorski goto graber grabowski graf graham grassi grasso gray greco green grewal
grey griffin gross gruber gudmundsson guenther guerin guerra guerrero gul guler gunes gunther guo gupta
gustafsson gutierrez ha haas haddad hagen hahn hajek hall halvorsen hamalainen hamdan hamid hamilton han
hansen hansson harris harrison hartmann hasegawa hashimoto hassan haugen hayashi hayes he heikkila heikkinen
heinonen heinrich henderson hendriks henry heo hernandez herrera herrero hidalgo hill hoekstra hofer hoffmann
hofmann hong horak hou howard hu huang huber hughes huisman hussain hwang ibanez ibrahim iglesias ikeda inoue
ishii ishikawa isik ito iyer jablonski jackson jacobs jacobsen jaeger jager jain james jang jankowski jansen
janssen jansson jarvinen jaworski jean jelinek jenkins jensen jeon jeong jia jiang jimenez jin johannessen
johansen johansson johnsen johnson joly jones jonsdottir jonsson joo jordan jorgensen joshi jung kaczmarek
kaiser kaminski kang kaplan kapoor kara karim karlsen karlsson kato kaur kavanagh kaya keller kelly kennedy
keskin khalil khan khanna khoury kilic kim kimura king kinnunen klein ko kobayashi koc koch kok kolar kondo
koo korhonen korkmaz kose koskinen koster kovac kowalczyk kowalski kozlowski kral kramer kraus krause krawczyk
krishnan kristensen kristiansen kriz krol krueger kruger kucera kumar kurt kwak kwiatkowski kwon laine lambert
lang lange larsen larsson laurent lee lefebvre lefevre legrand lehmann lehtinen lehtonen lei leitner lemaire
leon leone leroux leroy lewandowski lewis li liang liao lim lima lin liu lombardi lombardo long longo lopez
lorenz lorenzo lozano lu lucas ludwig luo ma maas madsen maeda maes mahmoud maier majewski makela makinen
malhotra malik malinowski mancini mansour marchand marchetti marek mariani marie marin marini marino marquez
marshall martin martinelli martinez martini martino martins masson mathieu matsuda matsumoto mayer mayr mazur
mazza mcdonald medina mehta meier meijer mendes mendez meng menon mercier mertens messina meunier meyer
michalski michel milani miller min mirza mishra mitchell miura moeller mohamed mohammed molina moller
montanari montero monti moon moore morales moreau morel morelli moreno moretti morgan mori morin morris moser
mueller mukherjee mulder muller munoz murakami murphy murray myers nagorski naidu nair najjar nakagawa
nakajima nakamura nam nasser natarajan navarro navratil nelson nemec neri neumann nguyen nicolas nielsen niemi
nieminen nieto nilsson nishimura noel noh novak novotny nowak nowakowski nunez obrien oconnor ogawa oh okada
okamoto oliveira olsen olsson olszewski omar orlando ortega ortiz ota otto owens ozcan ozdemir ozer ozkan
ozturk pagano palmer palmieri palumbo pan pandey parisi park parker pascual patel patterson pawlak pawlowski
pedersen peeters pellegrini pellegrino pena peng pereira perez perrin perry persson peters peterson petit
pettersen pettersson phillips pichler pillai piotrowski piras pokorny polat pospisil powell price prieto prins
prochazka qian qiu qureshi raghavan rahman ramachandran ramirez ramos rao rashid rasmussen reddy reed ren
reyes reynolds ribeiro ricci richard richardson richter rinaldi riva rivera rizzi rizzo robert roberts robin
robinson rocha roche rodrigues rodriguez roe roger rogers romano romero ross rossetti rossi roth rousseau
roussel roux roy rubio ruggiero ruiz russell russo rutkowski ruzicka ryan ryu saad saarinen sahin saito
sakamoto sala saleh salem salminen salonen sanchez sanders sandhu sanna santana santoro santos sanz sari
sartori sasaki sato schaefer schafer schmid schmidt schmitt schmitz schneider scholz schouten schreiber
schroder schroeder schulz schulze schumacher schuster schwarz scott sedlacek seidel sen seo serra serrano
sethi shah sharma sheikh shen shi shimizu shin siddiqui sigurdsson sikora silva silvestri sim simmons simon
simsek singh smit smith smits sommer son song sorensen sorrentino souza srinivasan stein steiner stepien
stevens stewart su suarez subramanian sullivan sun sung suzuki svensson svoboda szymanski takahashi tan tanaka
tang tas taylor teixeira tekin testa thomas thompson tian tiwari torres turan turner turunen unal urban
valentini vanbeek vandenberg vandenbroek vandenheuvel vanderheijden vanderlinden vandermeer vanderveen vandijk
vanek vanleeuwen vazquez vega venkatesh verhoeven verma vermeulen vesely vidal villa vincent virtanen visser
vitale vitali vogel vogt vos wagner walczak walker wallace walsh wan wang ward watanabe watson weber wei weiss
wells werner west white wieczorek willems williams wilson winkler winter wisniewski wojcik wolf woo wood
wouters wozniak wright wrobel wu xia xiao xie xu yadav yalcin yamada yamaguchi yamamoto yamashita yamazaki
yang yao yavuz ye yildirim yildiz yilmaz yin yoo yoon yoshida young youssef yu yuan yuksel yun zajac zeman
zeng zhang zhao zheng zhong zhou zhu zielinski zimmermann
`;
